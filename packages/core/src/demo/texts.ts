/**
 * Texts of the demo business in Italian and English: cancellation reasons, ticket topics and
 * messages, survey comments. A customer's locale picks the language.
 */

export type Lang = 'it' | 'en'
type Bi = { readonly it: string; readonly en: string }

/** Voluntary cancellation reasons with their relative frequency. */
export const CANCELLATION_REASONS: readonly (readonly [Bi, number])[] = [
  [{ it: 'troppo costoso', en: 'too expensive' }, 26],
  [{ it: 'non lo uso abbastanza', en: 'not using it enough' }, 24],
  [{ it: "ho trovato un'alternativa migliore", en: 'found a better alternative' }, 10],
  [{ it: 'problemi con le consegne', en: 'problems with deliveries' }, 8],
  [{ it: 'servizio clienti insoddisfacente', en: 'unhappy with customer service' }, 7],
  [{ it: 'le mie esigenze sono cambiate', en: 'my needs have changed' }, 10],
  [{ it: 'motivi economici', en: 'financial reasons' }, 8],
  [{ it: "problemi tecnici con l'app", en: 'technical problems with the app' }, 4],
  [{ it: 'altro', en: 'other' }, 3],
]

/** Reasons given when a trial is cancelled before converting. */
export const TRIAL_CANCELLATION_REASONS: readonly (readonly [Bi, number])[] = [
  [{ it: 'volevo solo provarlo', en: 'just wanted to try it' }, 40],
  [{ it: 'non lo uso abbastanza', en: 'not using it enough' }, 25],
  [{ it: 'troppo costoso', en: 'too expensive' }, 25],
  [{ it: 'non ho capito i vantaggi', en: "didn't see the benefits" }, 10],
]

export const PAYMENT_FAILED_REASON: Bi = { it: 'pagamento non riuscito', en: 'payment failed' }

export type TicketTopic = {
  readonly subject: Bi
  readonly message: Bi
  /** Related to a problem that pushes customers away (used more before a dropout). */
  readonly complaint: boolean
  /** Raised about a recent order (used for the tickets that follow an order). */
  readonly orderRelated: boolean
}

export const TICKET_TOPICS: readonly (readonly [TicketTopic, number])[] = [
  [
    {
      subject: { it: 'Ritardo nella consegna', en: 'Late delivery' },
      message: {
        it: 'Buongiorno, il mio ordine non è ancora arrivato. Potete verificare?',
        en: 'Hello, my order has not arrived yet. Could you check?',
      },
      complaint: true,
      orderRelated: true,
    },
    14,
  ],
  [
    {
      subject: { it: 'Reso e rimborso', en: 'Return and refund' },
      message: {
        it: 'Vorrei restituire un articolo: come devo fare per il rimborso?',
        en: 'I would like to return an item: how do I get a refund?',
      },
      complaint: false,
      orderRelated: true,
    },
    14,
  ],
  [
    {
      subject: { it: 'Taglia sbagliata', en: 'Wrong size' },
      message: {
        it: 'La taglia ricevuta non è quella che ho ordinato. Posso cambiarla?',
        en: 'The size I received is not the one I ordered. Can I exchange it?',
      },
      complaint: false,
      orderRelated: true,
    },
    10,
  ],
  [
    {
      subject: { it: 'Prodotto difettoso', en: 'Faulty product' },
      message: {
        it: "L'articolo è arrivato danneggiato. Chiedo una sostituzione.",
        en: 'The item arrived damaged. I would like a replacement.',
      },
      complaint: true,
      orderRelated: true,
    },
    9,
  ],
  [
    {
      subject: { it: 'Problema con il pagamento', en: 'Payment problem' },
      message: {
        it: 'Il pagamento è stato addebitato due volte, potete controllare?',
        en: 'I was charged twice, could you check?',
      },
      complaint: true,
      orderRelated: false,
    },
    6,
  ],
  [
    {
      subject: { it: "Modifica dell'indirizzo di spedizione", en: 'Change of shipping address' },
      message: {
        it: "Ho sbagliato l'indirizzo di spedizione, è possibile modificarlo?",
        en: 'I entered the wrong shipping address, can it be changed?',
      },
      complaint: false,
      orderRelated: true,
    },
    8,
  ],
  [
    {
      subject: { it: 'Codice sconto non funzionante', en: 'Discount code not working' },
      message: {
        it: 'Il codice sconto della newsletter non viene accettato al checkout.',
        en: 'The newsletter discount code is not accepted at checkout.',
      },
      complaint: false,
      orderRelated: false,
    },
    8,
  ],
  [
    {
      subject: { it: "Accesso all'account", en: 'Account access' },
      message: {
        it: 'Non riesco ad accedere al mio account, il link di reset non arriva.',
        en: 'I cannot log in, the reset link never arrives.',
      },
      complaint: false,
      orderRelated: false,
    },
    7,
  ],
  [
    {
      subject: { it: 'Informazioni sul Club', en: 'Club information' },
      message: {
        it: 'Quali vantaggi offre il Club Plus rispetto al Club Base?',
        en: 'What does Club Plus offer compared to Club Base?',
      },
      complaint: false,
      orderRelated: false,
    },
    6,
  ],
  [
    {
      subject: { it: 'Rimborso non ricevuto', en: 'Refund not received' },
      message: {
        it: 'Ho restituito la merce tre settimane fa ma il rimborso non è ancora arrivato.',
        en: 'I returned the goods three weeks ago but the refund has not arrived.',
      },
      complaint: true,
      orderRelated: false,
    },
    6,
  ],
  [
    {
      subject: { it: 'Disponibilità di un prodotto', en: 'Product availability' },
      message: {
        it: 'Quando tornerà disponibile questo articolo nella mia taglia?',
        en: 'When will this item be back in stock in my size?',
      },
      complaint: false,
      orderRelated: false,
    },
    8,
  ],
  [
    {
      subject: { it: "Disdetta dell'abbonamento", en: 'Cancel my subscription' },
      message: {
        it: "Vorrei disdire l'abbonamento al Club.",
        en: 'I would like to cancel my Club subscription.',
      },
      complaint: true,
      orderRelated: false,
    },
    4,
  ],
]

export const REFUND_TOPIC_INDEX = 1

export const AGENT_REPLY: Bi = {
  it: 'Grazie per averci scritto, stiamo verificando e ti aggiorniamo al più presto.',
  en: 'Thank you for contacting us, we are looking into it and will update you shortly.',
}
export const BOT_REPLY: Bi = {
  it: 'Ciao! Sono l’assistente virtuale: dimmi pure come posso aiutarti.',
  en: "Hi! I'm the virtual assistant: tell me how I can help.",
}
export const RESOLUTION_NOTE: Bi = {
  it: 'Abbiamo risolto la richiesta. Buona giornata!',
  en: 'Your request has been resolved. Have a nice day!',
}

/** NPS / CSAT comments by sentiment. */
export const COMMENTS: Readonly<Record<'positive' | 'neutral' | 'negative', readonly Bi[]>> = {
  positive: [
    { it: 'Ottima qualità e spedizione veloce.', en: 'Great quality and fast shipping.' },
    { it: 'Personale del negozio gentilissimo.', en: 'Very kind staff in the store.' },
    { it: 'I prodotti sono esattamente come in foto.', en: 'Products are exactly as pictured.' },
    { it: 'Il Club vale ogni centesimo.', en: 'The Club is worth every cent.' },
    { it: 'Reso semplice e rimborso rapido.', en: 'Easy return and quick refund.' },
  ],
  neutral: [
    { it: 'Buoni prodotti, prezzi un po’ alti.', en: 'Good products, prices a bit high.' },
    {
      it: 'Tutto ok, ma la consegna potrebbe essere più rapida.',
      en: 'All fine, delivery could be faster.',
    },
    { it: "L'app a volte è lenta.", en: 'The app is sometimes slow.' },
  ],
  negative: [
    { it: 'Consegna in ritardo e assistenza lenta.', en: 'Late delivery and slow support.' },
    {
      it: 'Prodotto arrivato danneggiato, nessuna risposta.',
      en: 'Item arrived damaged, no answer.',
    },
    { it: 'Troppo caro per la qualità offerta.', en: 'Too expensive for the quality.' },
    { it: 'Rimborso ancora in attesa dopo settimane.', en: 'Refund still pending after weeks.' },
    { it: 'Ho trovato di meglio altrove.', en: 'Found better elsewhere.' },
  ],
}

/** Site paths for page views. */
export const PAGE_PATHS = [
  '/',
  '/donna',
  '/uomo',
  '/casa',
  '/bellezza',
  '/saldi',
  '/novita',
  '/club',
  '/account/ordini',
  '/negozi',
] as const
