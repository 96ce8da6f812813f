/**
 * The metric catalogue: for every metric its id, Italian and English name, formula, unit,
 * direction, inputs and definition notes. Data only; the dashboard, the API and the docs read it.
 *
 * Units: `percent` values are FRACTIONS (0.7 is shown as 70 %; NRR may exceed 1), `money` is minor
 * units (sums are integers, averages are not rounded), `count` a number of customers/orders/
 * tickets, `ratio` a plain quotient, `score` points on the metric's own scale (NPS −100..100,
 * CES 1–7), `years` a duration in years of 365.25 days, `duration` milliseconds.
 */

export type MetricUnit = 'percent' | 'money' | 'count' | 'ratio' | 'score' | 'years' | 'duration'

export type MetricGroup =
  | 'customers'
  | 'orders'
  | 'lifetime'
  | 'feedback'
  | 'subscriptions'
  | 'service'
  | 'cohorts'
  | 'lifecycle'

export interface Localized {
  readonly it: string
  readonly en: string
}

export interface CatalogueInput {
  readonly id: string
  readonly name: Localized
}

export interface CatalogueEntry {
  readonly id: string
  readonly group: MetricGroup
  readonly name: Localized
  /** The formula as shown next to the number (symbols are the inputs' ids). */
  readonly formula: string
  readonly unit: MetricUnit
  readonly higherIsBetter: boolean
  readonly inputs: readonly CatalogueInput[]
  readonly notes: Localized
}

/** Names of every input a catalogue formula uses. */
const INPUT_NAMES = {
  S: { it: 'Clienti attivi a inizio periodo', en: 'Customers active at the start' },
  E: { it: 'Clienti attivi a fine periodo', en: 'Customers active at the end' },
  N: { it: 'Nuovi clienti nel periodo', en: 'New customers in the period' },
  N_end: {
    it: 'Nuovi clienti ancora attivi a fine periodo',
    en: 'New customers still active at the end',
  },
  retained: { it: 'Clienti mantenuti', en: 'Retained customers' },
  reactivated: { it: 'Clienti riattivati', en: 'Reactivated customers' },
  lost: { it: 'Clienti persi', en: 'Lost customers' },
  churnRate: { it: 'Tasso di abbandono', en: 'Churn rate' },
  CRR: { it: 'Tasso di fidelizzazione (CRR)', en: 'Customer retention rate (CRR)' },
  revenue: { it: 'Ricavi', en: 'Revenue' },
  orders: { it: 'Ordini', en: 'Orders' },
  orderingCustomers: { it: 'Clienti che hanno ordinato', en: 'Ordering customers' },
  repeatCustomers: {
    it: 'Clienti con almeno 2 ordini (da sempre)',
    en: 'Customers with 2 or more orders (lifetime)',
  },
  periodsPerYear: { it: 'Periodi per anno', en: 'Periods per year' },
  annualChurnRate: { it: 'Tasso di abbandono annuo', en: 'Annual churn rate' },
  lapsedCustomers: { it: 'Clienti decaduti', en: 'Lapsed customers' },
  APV: { it: 'Valore medio d’acquisto', en: 'Average purchase value' },
  APF: { it: 'Frequenza d’acquisto annua', en: 'Purchase frequency per year' },
  ACL: { it: 'Durata media del cliente (anni)', en: 'Average customer lifespan (years)' },
  promoters: { it: 'Promotori (9–10)', en: 'Promoters (9–10)' },
  passives: { it: 'Passivi (7–8)', en: 'Passives (7–8)' },
  detractors: { it: 'Detrattori (fino a 6)', en: 'Detractors (up to 6)' },
  satisfied: { it: 'Risposte soddisfatte', en: 'Satisfied answers' },
  answers: { it: 'Risposte', en: 'Answers' },
  scoreSum: { it: 'Somma dei punteggi', en: 'Sum of scores' },
  subscriptions: { it: 'Abbonamenti attivi', en: 'Active subscriptions' },
  MRR: { it: 'MRR', en: 'MRR' },
  payingCustomers: { it: 'Clienti paganti', en: 'Paying customers' },
  ARPC: { it: 'Ricavo medio per cliente', en: 'Average revenue per customer' },
  startMrr: { it: 'MRR a inizio periodo', en: 'MRR at the start' },
  endMrr: { it: 'MRR a fine periodo', en: 'MRR at the end' },
  new: { it: 'MRR nuovo', en: 'New MRR' },
  expansion: { it: 'MRR di espansione', en: 'Expansion MRR' },
  contraction: { it: 'MRR di contrazione', en: 'Contraction MRR' },
  churn: { it: 'MRR perso', en: 'Churned MRR' },
  reactivation: { it: 'MRR da riattivazione', en: 'Reactivation MRR' },
  startCustomers: { it: 'Clienti paganti a inizio periodo', en: 'Paying customers at the start' },
  churnedCustomers: { it: 'Clienti paganti persi', en: 'Churned paying customers' },
  tickets: { it: 'Ticket', en: 'Tickets' },
  firstResponseTimes: { it: 'Tempi di prima risposta', en: 'First-response times' },
  resolutionTimes: { it: 'Tempi di risoluzione', en: 'Resolution times' },
  cohortSize: { it: 'Clienti nella coorte', en: 'Customers in the cohort' },
  active: { it: 'Clienti attivi nel periodo', en: 'Customers active in the period' },
  activeOnOrAfter: {
    it: 'Clienti attivi nel periodo o dopo',
    en: 'Customers active in the period or later',
  },
  baseRevenue: { it: 'Ricavi del primo periodo', en: 'Revenue in the first period' },
  cumulativeRevenue: { it: 'Ricavi cumulati', en: 'Cumulative revenue' },
} as const satisfies Record<string, Localized>

type InputId = keyof typeof INPUT_NAMES

const inputs = (...ids: InputId[]): CatalogueInput[] =>
  ids.map((id) => ({ id, name: INPUT_NAMES[id] }))

const ACTIVE_NOTE_EN =
  'Active: a completed order within the activity window (default 365 days), or an active subscription (trials excluded by default). State at a boundary = at the instant just before it.'
const ACTIVE_NOTE_IT =
  'Attivo: un ordine completato entro la finestra di attività (predefinita 365 giorni), o un abbonamento attivo (prove escluse salvo configurazione). Stato a un confine = all’istante appena precedente.'

/** Every metric Fedele computes. See docs/metrics.md for the decisions behind the definitions. */
export const catalogue = [
  {
    id: 'customers_start',
    group: 'customers',
    name: { it: 'Clienti a inizio periodo (S)', en: 'Customers at the start (S)' },
    formula: 'S = |active as of start|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: { it: ACTIVE_NOTE_IT, en: ACTIVE_NOTE_EN },
  },
  {
    id: 'customers_end',
    group: 'customers',
    name: { it: 'Clienti a fine periodo (E)', en: 'Customers at the end (E)' },
    formula: 'E = |active as of end|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: { it: ACTIVE_NOTE_IT, en: ACTIVE_NOTE_EN },
  },
  {
    id: 'new_customers',
    group: 'customers',
    name: { it: 'Nuovi clienti (N)', en: 'New customers (N)' },
    formula: 'N = |first activity in [start, end)|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Prima attività di sempre (primo ordine completato o primo istante di abbonamento conteggiato) dentro il periodo.',
      en: 'First ever activity (first completed order or first counted subscription instant) inside the period.',
    },
  },
  {
    id: 'new_customers_end',
    group: 'customers',
    name: { it: 'Nuovi clienti ancora attivi (N_end)', en: 'New customers still active (N_end)' },
    formula: 'N_end = |N ∩ E|',
    unit: 'count',
    higherIsBetter: true,
    inputs: inputs('N', 'E'),
    notes: {
      it: 'Uguale a N salvo finestre di attività più brevi del periodo o abbonamenti chiusi nel periodo.',
      en: 'Equal to N unless the activity window is shorter than the period or a subscription ended within it.',
    },
  },
  {
    id: 'retained_customers',
    group: 'customers',
    name: { it: 'Clienti mantenuti', en: 'Retained customers' },
    formula: 'retained = |S ∩ E|',
    unit: 'count',
    higherIsBetter: true,
    inputs: inputs('S', 'E'),
    notes: {
      it: 'Attivi sia a inizio sia a fine periodo.',
      en: 'Active both at the start and at the end.',
    },
  },
  {
    id: 'reactivated_customers',
    group: 'customers',
    name: { it: 'Clienti riattivati', en: 'Reactivated customers' },
    formula: 'reactivated = E − retained − N_end',
    unit: 'count',
    higherIsBetter: true,
    inputs: inputs('E', 'retained', 'N_end'),
    notes: {
      it: 'Attivi a fine periodo, non attivi all’inizio e non nuovi: decaduti prima dell’inizio e tornati durante il periodo.',
      en: 'Active at the end, not at the start, and not new: lapsed before the start and back during the period.',
    },
  },
  {
    id: 'lost_customers',
    group: 'customers',
    name: { it: 'Clienti persi', en: 'Lost customers' },
    formula: 'lost = S − retained',
    unit: 'count',
    higherIsBetter: false,
    inputs: inputs('S', 'retained'),
    notes: {
      it: 'Attivi a inizio periodo e non più attivi alla fine.',
      en: 'Active at the start and no longer active at the end.',
    },
  },
  {
    id: 'crr',
    group: 'customers',
    name: { it: 'Tasso di fidelizzazione clienti (CRR)', en: 'Customer retention rate (CRR)' },
    formula: 'CRR = (E − N) / S × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('S', 'E', 'N'),
    notes: {
      it: 'Formula del brief: conta come mantenuti anche i clienti riattivati e sottrae tutti i nuovi, anche quelli già decaduti. Va mostrata accanto alla fidelizzazione esatta (mantenuti / S) con la spiegazione della differenza.',
      en: 'The brief’s formula: it counts reactivated customers as retained and subtracts all new customers, even those lapsed again. Shown next to exact retention (retained / S) with the reason they differ.',
    },
  },
  {
    id: 'churn_rate',
    group: 'customers',
    name: { it: 'Tasso di abbandono (churn)', en: 'Churn rate' },
    formula: 'churn = lost / S × 100',
    unit: 'percent',
    higherIsBetter: false,
    inputs: inputs('S', 'lost'),
    notes: {
      it: 'Quota dei clienti attivi a inizio periodo che non lo sono più alla fine.',
      en: 'Share of the customers active at the start who are no longer active at the end.',
    },
  },
  {
    id: 'churn_rate_inverse',
    group: 'customers',
    name: { it: 'Tasso di abbandono (100 − CRR)', en: 'Churn rate (100 − CRR)' },
    formula: 'churn = 100 − CRR = (S − E + N) / S × 100',
    unit: 'percent',
    higherIsBetter: false,
    inputs: inputs('S', 'E', 'N'),
    notes: {
      it: 'Il churn come inverso del CRR, come nel brief; differisce da persi / S quando ci sono clienti riattivati.',
      en: 'Churn as the inverse of CRR, as in the brief; it differs from lost / S when there are reactivated customers.',
    },
  },
  {
    id: 'retention_rate',
    group: 'customers',
    name: { it: 'Tasso di fidelizzazione', en: 'Retention rate' },
    formula: 'retention = 100 − churn = retained / S × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('churnRate'),
    notes: {
      it: '(1 − churn) × 100. Con il churn esatto coincide con la fidelizzazione esatta mantenuti / S.',
      en: '(1 − churn) × 100. With the exact churn it equals exact retention, retained / S.',
    },
  },
  {
    id: 'active_customers',
    group: 'customers',
    name: { it: 'Clienti attivi', en: 'Active customers' },
    formula: '|active as of t|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: { it: ACTIVE_NOTE_IT, en: ACTIVE_NOTE_EN },
  },
  {
    id: 'revenue',
    group: 'orders',
    name: { it: 'Ricavi', en: 'Revenue' },
    formula: 'revenue = Σ (amount − refunded) over completed orders in [start, end)',
    unit: 'money',
    higherIsBetter: true,
    inputs: inputs('orders'),
    notes: {
      it: 'Ordini rimborsati o annullati esclusi; rimborsi parziali sottratti.',
      en: 'Refunded and cancelled orders excluded; partial refunds subtracted.',
    },
  },
  {
    id: 'orders',
    group: 'orders',
    name: { it: 'Ordini', en: 'Orders' },
    formula: 'orders = |completed orders in [start, end)|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Ordini rimborsati o annullati esclusi.',
      en: 'Refunded and cancelled orders excluded.',
    },
  },
  {
    id: 'ordering_customers',
    group: 'orders',
    name: { it: 'Clienti che hanno ordinato', en: 'Ordering customers' },
    formula: '|customers with a completed order in [start, end)|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Clienti distinti con almeno un ordine completato nel periodo.',
      en: 'Distinct customers with at least one completed order in the period.',
    },
  },
  {
    id: 'repeat_purchase_rate',
    group: 'orders',
    name: { it: 'Tasso di riacquisto', en: 'Repeat purchase rate' },
    formula: 'repeat = repeatCustomers / orderingCustomers × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('repeatCustomers', 'orderingCustomers'),
    notes: {
      it: 'Tra i clienti che hanno ordinato nel periodo, quelli con almeno 2 ordini completati da sempre (fino alla fine del periodo).',
      en: 'Among customers who ordered in the period, those with 2 or more completed orders ever (up to the end of the period).',
    },
  },
  {
    id: 'aov',
    group: 'orders',
    name: { it: 'Valore medio dell’ordine (AOV)', en: 'Average order value (AOV)' },
    formula: 'AOV = revenue / orders',
    unit: 'money',
    higherIsBetter: true,
    inputs: inputs('revenue', 'orders'),
    notes: {
      it: 'Detto anche valore medio d’acquisto (APV) nella formula del CLV.',
      en: 'Also the average purchase value (APV) of the CLV formula.',
    },
  },
  {
    id: 'purchase_frequency',
    group: 'orders',
    name: { it: 'Frequenza d’acquisto', en: 'Purchase frequency' },
    formula: 'frequency = orders / orderingCustomers',
    unit: 'ratio',
    higherIsBetter: true,
    inputs: inputs('orders', 'orderingCustomers'),
    notes: {
      it: 'Ordini per cliente nel periodo; moltiplicata per i periodi in un anno nel CLV.',
      en: 'Orders per customer in the period; multiplied by the periods in a year for CLV.',
    },
  },
  {
    id: 'annual_churn_rate',
    group: 'lifetime',
    name: { it: 'Tasso di abbandono annuo', en: 'Annual churn rate' },
    formula: 'annual churn = 1 − (1 − churn)^periodsPerYear',
    unit: 'percent',
    higherIsBetter: false,
    inputs: inputs('churnRate', 'periodsPerYear'),
    notes: {
      it: 'Il churn di un periodo riportato a un anno, supponendo lo stesso churn in ogni periodo.',
      en: 'A period’s churn compounded to a year, assuming the same churn every period.',
    },
  },
  {
    id: 'average_lifespan',
    group: 'lifetime',
    name: { it: 'Durata media del cliente', en: 'Average customer lifespan' },
    formula: 'ACL = 1 / annual churn',
    unit: 'years',
    higherIsBetter: true,
    inputs: inputs('annualChurnRate'),
    notes: {
      it: 'Stima dal churn annuo; non definita quando il churn è 0.',
      en: 'Estimated from the annual churn; undefined when churn is 0.',
    },
  },
  {
    id: 'observed_lifespan',
    group: 'lifetime',
    name: {
      it: 'Durata osservata dei clienti decaduti',
      en: 'Observed lifespan of lapsed customers',
    },
    formula: 'mean over lapsed customers of (lapse − first activity)',
    unit: 'years',
    higherIsBetter: true,
    inputs: inputs('lapsedCustomers'),
    notes: {
      it: 'Decaduto: non attivo alla data di riferimento. Il decadimento è la fine dell’ultima attività (ultimo ordine + finestra, o fine dell’ultimo abbonamento). Anni di 365,25 giorni.',
      en: 'Lapsed: not active as of the reference date. The lapse is the end of the last activity (last order + window, or end of the last subscription). Years of 365.25 days.',
    },
  },
  {
    id: 'clv',
    group: 'lifetime',
    name: { it: 'Valore del cliente nel tempo (CLV)', en: 'Customer lifetime value (CLV)' },
    formula: 'CLV = APV × APF × ACL',
    unit: 'money',
    higherIsBetter: true,
    inputs: inputs('APV', 'APF', 'ACL'),
    notes: {
      it: 'Formula del brief: valore medio d’acquisto × acquisti per anno × durata media in anni. Il CLV predittivo è separato.',
      en: 'The brief’s formula: average purchase value × purchases per year × average lifespan in years. Predictive CLV is separate.',
    },
  },
  {
    id: 'nps',
    group: 'feedback',
    name: { it: 'Net Promoter Score (NPS)', en: 'Net Promoter Score (NPS)' },
    formula: 'NPS = % promoters − % detractors',
    unit: 'score',
    higherIsBetter: true,
    inputs: inputs('promoters', 'passives', 'detractors'),
    notes: {
      it: 'Scala 0–10: promotori 9–10, passivi 7–8, detrattori 0–6. Da −100 a 100.',
      en: 'Scale 0–10: promoters 9–10, passives 7–8, detractors 0–6. From −100 to 100.',
    },
  },
  {
    id: 'enps',
    group: 'feedback',
    name: { it: 'eNPS (NPS dei dipendenti)', en: 'Employee NPS (eNPS)' },
    formula: 'eNPS = % promoters − % detractors',
    unit: 'score',
    higherIsBetter: true,
    inputs: inputs('promoters', 'passives', 'detractors'),
    notes: {
      it: 'Come l’NPS, per i dipendenti; la scala (0–10 o 1–10) fa parte del sondaggio, le categorie restano promotori 9–10, detrattori fino a 6.',
      en: 'Like NPS, for employees; the scale (0–10 or 1–10) is part of the survey, the categories stay promoters 9–10, detractors up to 6.',
    },
  },
  {
    id: 'csat',
    group: 'feedback',
    name: { it: 'Soddisfazione del cliente (CSAT)', en: 'Customer satisfaction (CSAT)' },
    formula: 'CSAT = satisfied / answers × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('satisfied', 'answers'),
    notes: {
      it: 'Soddisfatto = 4–5 su una scala 1–5; la soglia fa parte della domanda e si mostra con il numero.',
      en: 'Satisfied = 4–5 on a 1–5 scale; the threshold is part of the question and shown with the number.',
    },
  },
  {
    id: 'ces',
    group: 'feedback',
    name: { it: 'Customer Effort Score (CES)', en: 'Customer Effort Score (CES)' },
    formula: 'CES = scoreSum / answers',
    unit: 'score',
    higherIsBetter: true,
    inputs: inputs('scoreSum', 'answers'),
    notes: {
      it: 'Media su scala 1–7. Più alto è meglio con la domanda predefinita «È stato facile…» (1 = per niente d’accordo, 7 = del tutto d’accordo); una domanda formulata sullo sforzo inverte il verso.',
      en: 'Mean on a 1–7 scale. Higher is better with the default question “It was easy to…” (1 = strongly disagree, 7 = strongly agree); a question worded on effort reverses the direction.',
    },
  },
  {
    id: 'mrr',
    group: 'subscriptions',
    name: { it: 'Ricavi ricorrenti mensili (MRR)', en: 'Monthly recurring revenue (MRR)' },
    formula: 'MRR = Σ monthly amount of active subscriptions = payingCustomers × ARPC',
    unit: 'money',
    higherIsBetter: true,
    inputs: inputs('subscriptions', 'payingCustomers', 'ARPC'),
    notes: {
      it: 'Importo mensile = importo × quantità × periodi per anno / 12 (annuale / 12, settimanale × 52 / 12), arrotondato al centesimo. Prove gratuite escluse.',
      en: 'Monthly amount = amount × quantity × periods per year / 12 (annual / 12, weekly × 52 / 12), rounded to the minor unit. Free trials excluded.',
    },
  },
  {
    id: 'paying_customers',
    group: 'subscriptions',
    name: { it: 'Clienti paganti', en: 'Paying customers' },
    formula: '|customers with MRR > 0|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Clienti con almeno un abbonamento attivo a pagamento.',
      en: 'Customers with at least one active paid subscription.',
    },
  },
  {
    id: 'arpc',
    group: 'subscriptions',
    name: { it: 'Ricavo medio per cliente (ARPC)', en: 'Average revenue per customer (ARPC)' },
    formula: 'ARPC = MRR / payingCustomers',
    unit: 'money',
    higherIsBetter: true,
    inputs: inputs('MRR', 'payingCustomers'),
    notes: { it: 'Mensile.', en: 'Monthly.' },
  },
  {
    id: 'mrr_new',
    group: 'subscriptions',
    name: { it: 'MRR nuovo', en: 'New MRR' },
    formula: 'Σ end MRR of customers paying for the first time',
    unit: 'money',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Clienti con MRR 0 all’inizio, > 0 alla fine, mai paganti prima.',
      en: 'Customers with MRR 0 at the start, > 0 at the end, never paying before.',
    },
  },
  {
    id: 'mrr_expansion',
    group: 'subscriptions',
    name: { it: 'MRR di espansione', en: 'Expansion MRR' },
    formula: 'Σ (end − start) over customers with 0 < start < end',
    unit: 'money',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Aumenti di clienti già paganti.',
      en: 'Increases from customers already paying.',
    },
  },
  {
    id: 'mrr_contraction',
    group: 'subscriptions',
    name: { it: 'MRR di contrazione', en: 'Contraction MRR' },
    formula: 'Σ (start − end) over customers with 0 < end < start',
    unit: 'money',
    higherIsBetter: false,
    inputs: [],
    notes: {
      it: 'Riduzioni di clienti che restano paganti; riportato come importo positivo.',
      en: 'Decreases from customers who keep paying; reported as a positive amount.',
    },
  },
  {
    id: 'mrr_churn',
    group: 'subscriptions',
    name: { it: 'MRR perso (churn)', en: 'Churned MRR' },
    formula: 'Σ start MRR over customers with start > 0, end = 0',
    unit: 'money',
    higherIsBetter: false,
    inputs: [],
    notes: {
      it: 'Clienti che smettono di pagare; riportato come importo positivo.',
      en: 'Customers who stop paying; reported as a positive amount.',
    },
  },
  {
    id: 'mrr_reactivation',
    group: 'subscriptions',
    name: { it: 'MRR da riattivazione', en: 'Reactivation MRR' },
    formula: 'Σ end MRR of customers paying again after a pause',
    unit: 'money',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Clienti con MRR 0 all’inizio, > 0 alla fine, già paganti in passato.',
      en: 'Customers with MRR 0 at the start, > 0 at the end, who paid before.',
    },
  },
  {
    id: 'net_new_mrr',
    group: 'subscriptions',
    name: { it: 'Variazione netta dell’MRR', en: 'Net new MRR' },
    formula: 'new + expansion + reactivation − contraction − churn = endMrr − startMrr',
    unit: 'money',
    higherIsBetter: true,
    inputs: inputs('new', 'expansion', 'reactivation', 'contraction', 'churn'),
    notes: {
      it: 'Ogni cliente-periodo cade in esattamente un movimento (o in nessuno se l’MRR non cambia).',
      en: 'Each customer-period falls in exactly one movement (or none when its MRR did not change).',
    },
  },
  {
    id: 'grr',
    group: 'subscriptions',
    name: { it: 'Fidelizzazione lorda dei ricavi (GRR)', en: 'Gross revenue retention (GRR)' },
    formula: 'GRR = (startMrr − contraction − churn) / startMrr × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('startMrr', 'contraction', 'churn'),
    notes: {
      it: 'Solo i clienti paganti a inizio periodo; al massimo 100 %.',
      en: 'Only customers paying at the start; at most 100 %.',
    },
  },
  {
    id: 'nrr',
    group: 'subscriptions',
    name: { it: 'Fidelizzazione netta dei ricavi (NRR)', en: 'Net revenue retention (NRR)' },
    formula: 'NRR = (startMrr + expansion − contraction − churn) / startMrr × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('startMrr', 'expansion', 'contraction', 'churn'),
    notes: {
      it: 'Solo i clienti paganti a inizio periodo: nuovi e riattivati esclusi. Può superare 100 %.',
      en: 'Only customers paying at the start: new and reactivated excluded. May exceed 100 %.',
    },
  },
  {
    id: 'logo_churn',
    group: 'subscriptions',
    name: { it: 'Churn dei clienti (logo churn)', en: 'Logo churn' },
    formula: 'logo churn = churnedCustomers / startCustomers × 100',
    unit: 'percent',
    higherIsBetter: false,
    inputs: inputs('churnedCustomers', 'startCustomers'),
    notes: {
      it: 'Clienti paganti a inizio periodo che non pagano più alla fine.',
      en: 'Customers paying at the start who no longer pay at the end.',
    },
  },
  {
    id: 'revenue_churn',
    group: 'subscriptions',
    name: { it: 'Churn dei ricavi', en: 'Revenue churn' },
    formula: 'revenue churn = (contraction + churn) / startMrr × 100 = 100 − GRR',
    unit: 'percent',
    higherIsBetter: false,
    inputs: inputs('contraction', 'churn', 'startMrr'),
    notes: {
      it: 'Churn lordo dei ricavi: perdite e riduzioni, senza compensare con le espansioni.',
      en: 'Gross revenue churn: losses and reductions, not offset by expansion.',
    },
  },
  {
    id: 'ltv',
    group: 'subscriptions',
    name: { it: 'Valore del cliente (LTV)', en: 'Lifetime value (LTV)' },
    formula: 'LTV = ARPC / trailing monthly logo churn',
    unit: 'money',
    higherIsBetter: true,
    inputs: inputs('ARPC', 'churnRate'),
    notes: {
      it: 'ARPC mensile a fine periodo diviso il churn mensile dei clienti paganti sugli ultimi mesi (clienti persi / clienti a rischio, sommati sui mesi). Non definito con churn 0.',
      en: 'Monthly ARPC at the end divided by the paying customers’ monthly churn over the trailing months (churned / at risk, summed over the months). Undefined with zero churn.',
    },
  },
  {
    id: 'tickets_open',
    group: 'service',
    name: { it: 'Ticket aperti', en: 'Open tickets' },
    formula: '|tickets opened before t and not resolved before t|',
    unit: 'count',
    higherIsBetter: false,
    inputs: inputs('tickets'),
    notes: {
      it: 'Alla fine del periodo.',
      en: 'At the end of the period.',
    },
  },
  {
    id: 'tickets_overdue',
    group: 'service',
    name: { it: 'Ticket in ritardo (> 48 h)', en: 'Overdue tickets (> 48 h)' },
    formula: '|open tickets with t − openedAt > 48 h|',
    unit: 'count',
    higherIsBetter: false,
    inputs: inputs('tickets'),
    notes: {
      it: 'Ticket aperti da più di 48 ore e non risolti alla fine del periodo.',
      en: 'Tickets open for more than 48 hours and unresolved at the end of the period.',
    },
  },
  {
    id: 'median_first_response_time',
    group: 'service',
    name: { it: 'Tempo mediano di prima risposta', en: 'Median first-response time' },
    formula: 'median(firstResponseAt − openedAt)',
    unit: 'duration',
    higherIsBetter: false,
    inputs: inputs('firstResponseTimes'),
    notes: {
      it: 'Ticket aperti nel periodo che hanno ricevuto risposta; con un numero pari di valori, media dei due centrali.',
      en: 'Tickets opened in the period that got a response; with an even count, the mean of the two middle values.',
    },
  },
  {
    id: 'median_resolution_time',
    group: 'service',
    name: { it: 'Tempo mediano di risoluzione', en: 'Median resolution time' },
    formula: 'median(resolvedAt − openedAt)',
    unit: 'duration',
    higherIsBetter: false,
    inputs: inputs('resolutionTimes'),
    notes: {
      it: 'Ticket aperti nel periodo e risolti; con un numero pari di valori, media dei due centrali.',
      en: 'Tickets opened in the period and resolved; with an even count, the mean of the two middle values.',
    },
  },
  {
    id: 'csat_by_channel',
    group: 'service',
    name: { it: 'Soddisfazione per canale', en: 'Satisfaction by channel' },
    formula: 'CSAT per channel = satisfied / answers × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('satisfied', 'answers'),
    notes: {
      it: 'Valutazioni dei ticket aperti nel periodo, per canale; soddisfatto = 4–5 su 1–5.',
      en: 'Ratings of tickets opened in the period, by channel; satisfied = 4–5 on 1–5.',
    },
  },
  {
    id: 'cohort_retention',
    group: 'cohorts',
    name: { it: 'Fidelizzazione per coorte (nel periodo)', en: 'Cohort retention (on)' },
    formula: 'active in period k / cohortSize × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('active', 'cohortSize'),
    notes: {
      it: 'Coorte = mese (o settimana, trimestre) della prima attività. Attivo nel periodo = ha ordinato o era abbonato in quel periodo. Il periodo 0 vale 100 %.',
      en: 'Cohort = month (or week, quarter) of first activity. Active in the period = ordered or was subscribed in it. Period 0 is 100 %.',
    },
  },
  {
    id: 'cohort_retention_on_or_after',
    group: 'cohorts',
    name: {
      it: 'Fidelizzazione per coorte (nel periodo o dopo)',
      en: 'Cohort retention (on or after)',
    },
    formula: 'active in period k or later / cohortSize × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('activeOnOrAfter', 'cohortSize'),
    notes: {
      it: 'Clienti della coorte con attività nel periodo k o in uno successivo (fino alla data di riferimento): la quota ancora attiva. Non cresce mai con k.',
      en: 'Cohort customers with activity in period k or any later one (up to the reference date): the share still active. Never increases with k.',
    },
  },
  {
    id: 'cohort_revenue_retention',
    group: 'cohorts',
    name: { it: 'Fidelizzazione dei ricavi per coorte', en: 'Cohort revenue retention' },
    formula: 'revenue in period k / revenue in period 0 × 100',
    unit: 'percent',
    higherIsBetter: true,
    inputs: inputs('revenue', 'baseRevenue'),
    notes: {
      it: 'Ricavi degli ordini completati dei clienti della coorte.',
      en: 'Revenue of the cohort customers’ completed orders.',
    },
  },
  {
    id: 'cumulative_revenue_per_customer',
    group: 'cohorts',
    name: { it: 'Ricavo cumulato per cliente', en: 'Cumulative revenue per customer' },
    formula: 'Σ revenue in periods 0..k / cohortSize',
    unit: 'money',
    higherIsBetter: true,
    inputs: inputs('cumulativeRevenue', 'cohortSize'),
    notes: {
      it: 'Ricavi della coorte dal primo periodo fino al periodo k, diviso i clienti della coorte.',
      en: 'The cohort’s revenue from its first period through period k, divided by its customers.',
    },
  },
  {
    id: 'lifecycle_new',
    group: 'lifecycle',
    name: { it: 'Nuovi', en: 'New' },
    formula: '|first activity in the period|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Attivo nel periodo = ha ordinato o era abbonato in quel periodo (senza finestra di attività).',
      en: 'Active in the period = ordered or was subscribed in it (no activity window).',
    },
  },
  {
    id: 'lifecycle_returning',
    group: 'lifecycle',
    name: { it: 'Di ritorno', en: 'Returning' },
    formula: '|active in the period and in the previous one|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Attivi in due periodi consecutivi.',
      en: 'Active in two consecutive periods.',
    },
  },
  {
    id: 'lifecycle_resurrecting',
    group: 'lifecycle',
    name: { it: 'Risvegliati', en: 'Resurrecting' },
    formula: '|active in the period, not in the previous one, not new|',
    unit: 'count',
    higherIsBetter: true,
    inputs: [],
    notes: {
      it: 'Tornati dopo almeno un periodo senza attività.',
      en: 'Back after at least one period without activity.',
    },
  },
  {
    id: 'lifecycle_dormant',
    group: 'lifecycle',
    name: { it: 'Dormienti', en: 'Dormant' },
    formula: '|active in the previous period, not in this one|',
    unit: 'count',
    higherIsBetter: false,
    inputs: [],
    notes: {
      it: 'Attivi nel periodo precedente e non in questo.',
      en: 'Active in the previous period and not in this one.',
    },
  },
] as const satisfies readonly CatalogueEntry[]

/** The id of a metric in the catalogue. */
export type MetricId = (typeof catalogue)[number]['id']

/** The catalogue entry of a metric. */
export function catalogueEntry(id: MetricId): CatalogueEntry {
  const entry = catalogue.find((e) => e.id === id)
  if (entry === undefined) throw new RangeError(`unknown metric id ${id}`)
  return entry
}
