/**
 * Reference data about Italy for the demo generator: cities with their region, postcode (CAP)
 * range and approximate resident population (thousands, ISTAT 2023, rounded), the shop's stores,
 * and first and last names.
 *
 * Every one of the 20 regions has at least one city; a customer's city is drawn with probability
 * proportional to population, so Rome, Milan and Naples dominate as they do in real customer bases.
 */

export interface City {
  readonly name: string
  readonly region: string
  /** First CAP of the city (cities with several CAPs list a range). */
  readonly capFrom: number
  readonly capTo: number
  /** Resident population, thousands (weight). */
  readonly population: number
  /** The store a customer living here visits. */
  readonly store: string
}

export const STORES = [
  'Milano Duomo',
  'Milano Corso Buenos Aires',
  'Roma Via del Corso',
  'Roma EUR',
  'Torino Via Roma',
  'Napoli Via Toledo',
  "Firenze Via de' Calzaiuoli",
  "Bologna Via dell'Indipendenza",
  'Verona Via Mazzini',
  'Padova Via Roma',
  'Bari Via Sparano',
  'Palermo Via della Libertà',
  'Catania Via Etnea',
  'Genova Via XX Settembre',
] as const

type Row = readonly [
  name: string,
  region: string,
  capFrom: number,
  capTo: number,
  pop: number,
  store: string,
]

const MI = 'Milano Duomo'
const RM = 'Roma Via del Corso'
const TO = 'Torino Via Roma'
const NA = 'Napoli Via Toledo'
const FI = "Firenze Via de' Calzaiuoli"
const BO = "Bologna Via dell'Indipendenza"
const VR = 'Verona Via Mazzini'
const PD = 'Padova Via Roma'
const BA = 'Bari Via Sparano'
const PA = 'Palermo Via della Libertà'
const CT = 'Catania Via Etnea'
const GE = 'Genova Via XX Settembre'

const ROWS: readonly Row[] = [
  // Abruzzo
  ['Pescara', 'Abruzzo', 65121, 65129, 119, RM],
  ["L'Aquila", 'Abruzzo', 67100, 67100, 70, RM],
  ['Teramo', 'Abruzzo', 64100, 64100, 53, RM],
  // Basilicata
  ['Potenza', 'Basilicata', 85100, 85100, 64, BA],
  ['Matera', 'Basilicata', 75100, 75100, 60, BA],
  // Calabria
  ['Reggio Calabria', 'Calabria', 89121, 89135, 171, CT],
  ['Catanzaro', 'Calabria', 88100, 88100, 85, NA],
  ['Cosenza', 'Calabria', 87100, 87100, 64, NA],
  // Campania
  ['Napoli', 'Campania', 80121, 80147, 914, NA],
  ['Salerno', 'Campania', 84121, 84135, 127, NA],
  ['Caserta', 'Campania', 81100, 81100, 73, NA],
  // Emilia-Romagna
  ['Bologna', 'Emilia-Romagna', 40121, 40141, 390, BO],
  ['Parma', 'Emilia-Romagna', 43121, 43126, 198, BO],
  ['Modena', 'Emilia-Romagna', 41121, 41126, 184, BO],
  ['Reggio Emilia', 'Emilia-Romagna', 42121, 42124, 171, BO],
  ['Ravenna', 'Emilia-Romagna', 48121, 48125, 156, BO],
  ['Rimini', 'Emilia-Romagna', 47921, 47924, 150, BO],
  ['Ferrara', 'Emilia-Romagna', 44121, 44124, 130, BO],
  ['Forlì', 'Emilia-Romagna', 47121, 47122, 117, BO],
  ['Piacenza', 'Emilia-Romagna', 29121, 29122, 103, MI],
  // Friuli-Venezia Giulia
  ['Trieste', 'Friuli-Venezia Giulia', 34121, 34151, 199, PD],
  ['Udine', 'Friuli-Venezia Giulia', 33100, 33100, 98, PD],
  ['Pordenone', 'Friuli-Venezia Giulia', 33170, 33170, 51, PD],
  // Lazio
  ['Roma', 'Lazio', 118, 199, 2755, RM],
  ['Latina', 'Lazio', 4100, 4100, 127, RM],
  // Liguria
  ['Genova', 'Liguria', 16121, 16167, 562, GE],
  ['La Spezia', 'Liguria', 19121, 19139, 92, GE],
  // Lombardia
  ['Milano', 'Lombardia', 20121, 20162, 1371, MI],
  ['Brescia', 'Lombardia', 25121, 25136, 198, MI],
  ['Monza', 'Lombardia', 20900, 20900, 123, MI],
  ['Bergamo', 'Lombardia', 24121, 24129, 120, MI],
  ['Como', 'Lombardia', 22100, 22100, 83, MI],
  ['Varese', 'Lombardia', 21100, 21100, 79, MI],
  // Marche
  ['Ancona', 'Marche', 60121, 60131, 99, BO],
  ['Pesaro', 'Marche', 61121, 61122, 95, BO],
  // Molise
  ['Campobasso', 'Molise', 86100, 86100, 48, NA],
  ['Isernia', 'Molise', 86170, 86170, 21, NA],
  // Piemonte
  ['Torino', 'Piemonte', 10121, 10156, 841, TO],
  ['Novara', 'Piemonte', 28100, 28100, 101, MI],
  ['Alessandria', 'Piemonte', 15121, 15122, 91, TO],
  ['Asti', 'Piemonte', 14100, 14100, 73, TO],
  ['Cuneo', 'Piemonte', 12100, 12100, 56, TO],
  // Puglia
  ['Bari', 'Puglia', 70121, 70132, 316, BA],
  ['Taranto', 'Puglia', 74121, 74123, 189, BA],
  ['Foggia', 'Puglia', 71121, 71122, 146, BA],
  ['Andria', 'Puglia', 76123, 76123, 98, BA],
  ['Lecce', 'Puglia', 73100, 73100, 95, BA],
  // Sardegna
  ['Cagliari', 'Sardegna', 9121, 9134, 149, RM],
  ['Sassari', 'Sardegna', 7100, 7100, 122, RM],
  ['Olbia', 'Sardegna', 7026, 7026, 61, RM],
  // Sicilia
  ['Palermo', 'Sicilia', 90121, 90151, 630, PA],
  ['Catania', 'Sicilia', 95121, 95131, 298, CT],
  ['Messina', 'Sicilia', 98121, 98168, 220, CT],
  ['Siracusa', 'Sicilia', 96100, 96100, 116, CT],
  // Toscana
  ['Firenze', 'Toscana', 50121, 50145, 362, FI],
  ['Prato', 'Toscana', 59100, 59100, 196, FI],
  ['Livorno', 'Toscana', 57121, 57128, 153, FI],
  ['Arezzo', 'Toscana', 52100, 52100, 97, FI],
  ['Pisa', 'Toscana', 56121, 56128, 90, FI],
  ['Lucca', 'Toscana', 55100, 55100, 89, FI],
  ['Grosseto', 'Toscana', 58100, 58100, 81, FI],
  ['Siena', 'Toscana', 53100, 53100, 53, FI],
  // Trentino-Alto Adige
  ['Trento', 'Trentino-Alto Adige', 38121, 38123, 118, VR],
  ['Bolzano', 'Trentino-Alto Adige', 39100, 39100, 107, VR],
  // Umbria
  ['Perugia', 'Umbria', 6121, 6135, 162, FI],
  ['Terni', 'Umbria', 5100, 5100, 106, RM],
  // Valle d'Aosta
  ['Aosta', "Valle d'Aosta", 11100, 11100, 33, TO],
  // Veneto
  ['Verona', 'Veneto', 37121, 37142, 255, VR],
  ['Venezia', 'Veneto', 30121, 30176, 250, PD],
  ['Padova', 'Veneto', 35121, 35143, 207, PD],
  ['Vicenza', 'Veneto', 36100, 36100, 110, PD],
  ['Treviso', 'Veneto', 31100, 31100, 85, PD],
]

export const CITIES: readonly City[] = ROWS.map(
  ([name, region, capFrom, capTo, population, store]) => ({
    name,
    region,
    capFrom,
    capTo,
    population,
    store,
  }),
)

/** The second store in the two biggest cities, used for part of their customers. */
export const SECOND_STORE: Readonly<Record<string, string>> = {
  Milano: 'Milano Corso Buenos Aires',
  Roma: 'Roma EUR',
}

/** A CAP as the 5-digit string used on Italian addresses (leading zeros kept). */
export function formatCap(cap: number): string {
  return String(cap).padStart(5, '0')
}

export const FEMALE_NAMES = [
  'Giulia',
  'Francesca',
  'Chiara',
  'Sara',
  'Martina',
  'Valentina',
  'Alessandra',
  'Elena',
  'Federica',
  'Silvia',
  'Laura',
  'Paola',
  'Anna',
  'Maria',
  'Roberta',
  'Elisa',
  'Giorgia',
  'Sofia',
  'Aurora',
  'Alice',
  'Ginevra',
  'Beatrice',
  'Camilla',
  'Emma',
  'Greta',
  'Ludovica',
  'Arianna',
  'Ilaria',
  'Serena',
  'Simona',
  'Monica',
  'Cristina',
  'Daniela',
  'Barbara',
  'Manuela',
  'Michela',
  'Veronica',
  'Claudia',
  'Stefania',
  'Marta',
  'Noemi',
  'Irene',
  'Caterina',
  'Rebecca',
  'Gaia',
  'Matilde',
  'Vittoria',
  'Bianca',
  'Lucia',
  'Rosa',
  'Antonella',
  'Patrizia',
  'Carla',
  'Giovanna',
  'Lucrezia',
] as const

export const MALE_NAMES = [
  'Marco',
  'Alessandro',
  'Andrea',
  'Luca',
  'Matteo',
  'Francesco',
  'Giuseppe',
  'Lorenzo',
  'Davide',
  'Simone',
  'Federico',
  'Riccardo',
  'Stefano',
  'Giovanni',
  'Antonio',
  'Roberto',
  'Paolo',
  'Fabio',
  'Daniele',
  'Gabriele',
  'Tommaso',
  'Leonardo',
  'Edoardo',
  'Mattia',
  'Nicolò',
  'Pietro',
  'Filippo',
  'Emanuele',
  'Michele',
  'Salvatore',
  'Vincenzo',
  'Massimo',
  'Claudio',
  'Mario',
  'Franco',
  'Enrico',
  'Alberto',
  'Giorgio',
  'Sergio',
  'Diego',
  'Cristian',
  'Samuele',
  'Manuel',
  'Alessio',
  'Jacopo',
  'Elia',
  'Gianluca',
  'Domenico',
  'Raffaele',
  'Fabrizio',
] as const

/** The most common Italian surnames, most frequent first (drawn with Zipf-like weights). */
export const LAST_NAMES = [
  'Rossi',
  'Russo',
  'Ferrari',
  'Esposito',
  'Bianchi',
  'Romano',
  'Colombo',
  'Ricci',
  'Marino',
  'Greco',
  'Bruno',
  'Gallo',
  'Conti',
  'De Luca',
  'Mancini',
  'Costa',
  'Giordano',
  'Rizzo',
  'Lombardi',
  'Moretti',
  'Barbieri',
  'Fontana',
  'Santoro',
  'Mariani',
  'Rinaldi',
  'Caruso',
  'Ferrara',
  'Galli',
  'Martini',
  'Leone',
  'Longo',
  'Gentile',
  'Martinelli',
  'Vitale',
  'Lombardo',
  'Serra',
  'Coppola',
  'De Santis',
  "D'Angelo",
  'Marchetti',
  'Parisi',
  'Villa',
  'Conte',
  'Ferraro',
  'Ferri',
  'Fabbri',
  'Bianco',
  'Marini',
  'Grasso',
  'Valentini',
  'Messina',
  'Sala',
  'De Angelis',
  'Gatti',
  'Pellegrini',
  'Palumbo',
  'Sanna',
  'Farina',
  'Rizzi',
  'Monti',
  'Cattaneo',
  'Morelli',
  'Amato',
  'Silvestri',
  'Mazza',
  'Testa',
  'Grassi',
  'Pellegrino',
  'Carbone',
  'Giuliani',
  'Benedetti',
  'Barone',
  'Rossetti',
  'Caputo',
  'Montanari',
  'Guerra',
  'Palmieri',
  'Bernardi',
  'Martino',
  'Fiore',
  'De Rosa',
  'Ferretti',
  'Bellini',
  'Basile',
  'Riva',
  'Donati',
  'Piras',
  'Vitali',
  'Battaglia',
  'Sartori',
  'Neri',
  'Costantini',
  'Milani',
  'Pagano',
  'Ruggiero',
  'Sorrentino',
  "D'Amico",
  'Orlando',
  'Negri',
  'Mele',
] as const

/** Surnames typical of a region, used for part of the customers living there. */
export const REGIONAL_LAST_NAMES: Readonly<Record<string, readonly string[]>> = {
  Sardegna: [
    'Sanna',
    'Piras',
    'Melis',
    'Pinna',
    'Serra',
    'Murgia',
    'Usai',
    'Porcu',
    'Deiana',
    'Mura',
  ],
  Veneto: ['Zanetti', 'Zanella', 'Pavan', 'Scarpa', 'Marcon', 'Bortolin', 'Zennaro', 'Favaro'],
  'Trentino-Alto Adige': ['Gruber', 'Pichler', 'Hofer', 'Moser', 'Mair', 'Zanoni', 'Pedrotti'],
  'Friuli-Venezia Giulia': ['Zanin', 'Fabris', 'Toffolo', 'Cescutti', 'Degano', 'Bressan'],
  Sicilia: [
    'La Rosa',
    'Puglisi',
    'Lo Presti',
    'Russo',
    'Messina',
    'Lombardo',
    'Caruso',
    'Di Stefano',
  ],
  Campania: [
    'Esposito',
    'Russo',
    'Romano',
    'De Luca',
    'Coppola',
    'Iovine',
    'Capasso',
    'Di Lorenzo',
  ],
  Puglia: ['De Benedictis', 'Lorusso', 'Colella', 'Lamorgese', 'De Marco', 'Caradonna'],
}

export const ENGLISH_FIRST_NAMES = [
  'James',
  'Emily',
  'Oliver',
  'Sophie',
  'Thomas',
  'Charlotte',
  'Daniel',
  'Hannah',
  'William',
  'Olivia',
  'Jack',
  'Lucy',
  'Harry',
  'Amelia',
  'George',
  'Grace',
] as const
export const ENGLISH_LAST_NAMES = [
  'Smith',
  'Jones',
  'Brown',
  'Taylor',
  'Wilson',
  'Evans',
  'Johnson',
  'Walker',
  'Wright',
  'Robinson',
  'Thompson',
  'White',
  'Clarke',
  'Hughes',
  'Murphy',
  'Kelly',
] as const

/** Italian mobile prefixes (TIM, Vodafone, WindTre, Iliad, …). */
export const MOBILE_PREFIXES = [
  '320',
  '324',
  '327',
  '328',
  '329',
  '331',
  '333',
  '334',
  '335',
  '338',
  '339',
  '340',
  '342',
  '345',
  '346',
  '347',
  '348',
  '349',
  '350',
  '351',
  '366',
  '370',
  '371',
  '380',
  '388',
  '389',
  '391',
  '392',
  '393',
] as const

/** Reserved example domains (RFC 2606 style) with their share of addresses. */
export const EMAIL_DOMAINS = [
  ['example.it', 38],
  ['example.com', 32],
  ['mail.example.it', 12],
  ['example.net', 10],
  ['example.org', 8],
] as const

/** Lower-case ASCII form of a name for an e-mail local part ("D'Angelo" → "dangelo"). */
export function emailSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
}

/** Support agents of the customer-service team. */
export const AGENTS = [
  'Giulia Bernardi',
  'Marco Ferri',
  'Chiara Longo',
  'Davide Sala',
  'Elena Riva',
  'Luca Fabbri',
  'Sara Neri',
  'Paolo Testa',
  'Irene Mele',
] as const
