/**
 * Every problem the importer can report, as a stable reason code plus a message in Italian and
 * English. Codes are part of the public contract (the server maps them to HTTP errors and the CLI
 * prints them); messages are for people and may be reworded.
 */

/** A message shown to people, in both supported languages. */
export interface LocalizedText {
  it: string
  en: string
}

/** How bad an issue is: an `error` rejects the row (or the file); a `warning` keeps it. */
export type IssueSeverity = 'error' | 'warning'

/** Parameters a message may interpolate. All optional; missing ones are left out of the text. */
export interface IssueParams {
  column?: string | null
  field?: string | null
  value?: string | null
  expected?: string
  line?: number
  count?: number
  detail?: string
  name?: string
}

const q = (s: string | null | undefined): string => (s == null ? '' : `"${s}"`)
const col = (p: IssueParams, it: boolean): string =>
  p.column ? (it ? ` (colonna ${q(p.column)})` : ` (column ${q(p.column)})`) : ''

const MESSAGES = {
  // --- file level -------------------------------------------------------------------------
  encoding_replacement: (p: IssueParams) => ({
    it: `${p.count ?? 0} caratteri non validi per la codifica scelta sono stati sostituiti con �: indicare la codifica giusta (--encoding)`,
    en: `${p.count ?? 0} characters invalid in the chosen encoding were replaced with �: give the right encoding (--encoding)`,
  }),
  unterminated_quote: () => ({
    it: 'Virgolette aperte e mai chiuse: il campo prosegue fino alla fine del file',
    en: 'A quote was opened and never closed: the field runs to the end of the file',
  }),
  field_too_long: (p: IssueParams) => ({
    it: `Un campo tra virgolette supera ${p.count ?? '?'} caratteri: probabilmente una virgoletta non è chiusa. Importazione interrotta`,
    en: `A quoted field exceeds ${p.count ?? '?'} characters: probably a quote is not closed. Import stopped`,
  }),
  stray_quote: () => ({
    it: 'Virgolette inattese dopo un campo tra virgolette: il testo è stato tenuto così com’è',
    en: 'Unexpected characters after a quoted field: the text was kept as it is',
  }),
  empty_file: () => ({
    it: 'Il file è vuoto',
    en: 'The file is empty',
  }),
  header_not_found: (p: IssueParams) => ({
    it: `Riga di intestazione non trovata${p.detail ? `: ${p.detail}` : ''}; indicarla con --header-line N`,
    en: `Header line not found${p.detail ? `: ${p.detail}` : ''}; give it with --header-line N`,
  }),
  header_line_out_of_range: (p: IssueParams) => ({
    it: `La riga di intestazione ${p.line ?? '?'} non esiste nel file`,
    en: `Header line ${p.line ?? '?'} does not exist in the file`,
  }),
  duplicate_header: (p: IssueParams) => ({
    it: `Nome di colonna ripetuto ${q(p.value)}: rinominata ${q(p.name)}`,
    en: `Repeated column name ${q(p.value)}: renamed ${q(p.name)}`,
  }),
  empty_header: (p: IssueParams) => ({
    it: `Colonna senza nome: chiamata ${q(p.name)}`,
    en: `Column without a name: called ${q(p.name)}`,
  }),
  extra_fields: (p: IssueParams) => ({
    it: `La riga ha ${p.count ?? '?'} valori oltre le colonne dell’intestazione: sono stati ignorati`,
    en: `The row has ${p.count ?? '?'} values beyond the header's columns: they were ignored`,
  }),
  invalid_json: (p: IssueParams) => ({
    it: `JSON non valido${p.detail ? `: ${p.detail}` : ''}`,
    en: `Invalid JSON${p.detail ? `: ${p.detail}` : ''}`,
  }),
  json_not_object: () => ({
    it: 'Ogni riga JSON Lines deve essere un oggetto { … }',
    en: 'Every JSON Lines line must be an object { … }',
  }),
  delimiter_undetected: () => ({
    it: 'Separatore di campo non riconosciuto: indicarlo con --delimiter',
    en: 'Field separator not recognised: give it with --delimiter',
  }),
  unknown_encoding: (p: IssueParams) => ({
    it: `Codifica non supportata ${q(p.value)}: usare utf-8 o windows-1252`,
    en: `Unsupported encoding ${q(p.value)}: use utf-8 or windows-1252`,
  }),
  unknown_preset: (p: IssueParams) => ({
    it: `Preset sconosciuto ${q(p.value)}`,
    en: `Unknown preset ${q(p.value)}`,
  }),
  preset_not_detected: () => ({
    it: 'Formato del file non riconosciuto: scegliere un preset (--preset) o una mappatura (--map campo=colonna)',
    en: 'File layout not recognised: choose a preset (--preset) or a mapping (--map field=column)',
  }),
  missing_column: (p: IssueParams) => ({
    it: `Colonna ${q(p.column)} (per il campo ${q(p.field)}) assente nell’intestazione`,
    en: `Column ${q(p.column)} (for field ${q(p.field)}) is not in the header`,
  }),
  required_field_unmapped: (p: IssueParams) => ({
    it: `Il campo obbligatorio ${q(p.field)} non è associato a nessuna colonna: usare --map ${p.field ?? 'campo'}=colonna`,
    en: `Required field ${q(p.field)} is not mapped to any column: use --map ${p.field ?? 'field'}=column`,
  }),
  unknown_field: (p: IssueParams) => ({
    it: `Il campo ${q(p.field)} non esiste per questo tipo di dati${p.expected ? ` (campi: ${p.expected})` : ''}`,
    en: `Field ${q(p.field)} does not exist for this kind of data${p.expected ? ` (fields: ${p.expected})` : ''}`,
  }),
  invalid_map_argument: (p: IssueParams) => ({
    it: `Mappatura non valida ${q(p.value)}: la forma è campo=colonna oppure campo=#N`,
    en: `Invalid mapping ${q(p.value)}: the form is field=column or field=#N`,
  }),
  invalid_profile: (p: IssueParams) => ({
    it: `Profilo di importazione non valido${p.detail ? `: ${p.detail}` : ''}`,
    en: `Invalid import profile${p.detail ? `: ${p.detail}` : ''}`,
  }),
  invalid_time_zone: (p: IssueParams) => ({
    it: `Fuso orario sconosciuto ${q(p.value)}: usare un nome IANA come Europe/Rome`,
    en: `Unknown time zone ${q(p.value)}: use an IANA name such as Europe/Rome`,
  }),
  invalid_date_format: (p: IssueParams) => ({
    it: `Formato data non supportato ${q(p.value)}: usare dd/mm/yyyy, mm/dd/yyyy, yyyy-mm-dd, yyyymmdd o dd.mm.yyyy`,
    en: `Unsupported date format ${q(p.value)}: use dd/mm/yyyy, mm/dd/yyyy, yyyy-mm-dd, yyyymmdd or dd.mm.yyyy`,
  }),
  date_order_ambiguous: (p: IssueParams) => ({
    it: `Nelle date${col(p, true)} giorno e mese non superano mai 12 in tutto il file: impossibile capire se sono gg/mm o mm/gg. Indicare il formato delle date, gg/mm/aaaa oppure mm/gg/aaaa (--date-format da riga di comando)`,
    en: `In the dates${col(p, false)} day and month never exceed 12 anywhere in the file: dd/mm and mm/dd cannot be told apart. Choose the date format, dd/mm/yyyy or mm/dd/yyyy (--date-format on the command line)`,
  }),
  date_order_conflict: (p: IssueParams) => ({
    it: `Le date mescolano gg/mm (${p.detail ?? ''}) e mm/gg: il file non è coerente. Indicare il formato delle date (--date-format da riga di comando)`,
    en: `The dates mix dd/mm (${p.detail ?? ''}) and mm/dd: the file is not consistent. Choose the date format (--date-format on the command line)`,
  }),
  decimal_separator_conflict: (p: IssueParams) => ({
    it: `Gli importi${col(p, true)} usano sia la virgola sia il punto come separatore decimale: indicare --decimal`,
    en: `The amounts${col(p, false)} use both a comma and a dot as decimal separator: give --decimal`,
  }),
  rows_not_adjacent: (p: IssueParams) => ({
    it: `Le righe dell’ordine ${q(p.value)} non sono consecutive (già visto prima della riga ${p.line ?? '?'}): ordinare il file per ordine`,
    en: `The rows of order ${q(p.value)} are not adjacent (already seen before line ${p.line ?? '?'}): sort the file by order`,
  }),

  // --- row level --------------------------------------------------------------------------
  value_required: (p: IssueParams) => ({
    it: `Valore mancante per il campo obbligatorio ${q(p.field)}${col(p, true)}`,
    en: `Missing value for required field ${q(p.field)}${col(p, false)}`,
  }),
  invalid_number: (p: IssueParams) => ({
    it: `${q(p.value)} non è un numero valido${col(p, true)}`,
    en: `${q(p.value)} is not a valid number${col(p, false)}`,
  }),
  invalid_integer: (p: IssueParams) => ({
    it: `${q(p.value)} non è un numero intero${col(p, true)}`,
    en: `${q(p.value)} is not a whole number${col(p, false)}`,
  }),
  too_many_decimals: (p: IssueParams) => ({
    it: `${q(p.value)} ha più decimali di quanti ne ammetta la valuta${p.expected ? ` (${p.expected})` : ''}${col(p, true)}`,
    en: `${q(p.value)} has more decimals than the currency allows${p.expected ? ` (${p.expected})` : ''}${col(p, false)}`,
  }),
  amount_out_of_range: (p: IssueParams) => ({
    it: `Importo fuori dall’intervallo ammesso: ${q(p.value)}${col(p, true)}`,
    en: `Amount out of the allowed range: ${q(p.value)}${col(p, false)}`,
  }),
  negative_amount: (p: IssueParams) => ({
    it: `Importo negativo non ammesso qui: ${q(p.value)}${col(p, true)}`,
    en: `A negative amount is not allowed here: ${q(p.value)}${col(p, false)}`,
  }),
  invalid_date: (p: IssueParams) => ({
    it: `${q(p.value)} non è una data valida${p.detail ? ` (${p.detail})` : ''}${col(p, true)}`,
    en: `${q(p.value)} is not a valid date${p.detail ? ` (${p.detail})` : ''}${col(p, false)}`,
  }),
  date_ambiguous: (p: IssueParams) => ({
    it: `Data ambigua ${q(p.value)}: può essere gg/mm o mm/gg. Indicare il formato delle date (--date-format)${col(p, true)}`,
    en: `Ambiguous date ${q(p.value)}: it can be dd/mm or mm/dd. Choose the date format (--date-format)${col(p, false)}`,
  }),
  invalid_enum: (p: IssueParams) => ({
    it: `Valore non riconosciuto ${q(p.value)}${p.expected ? `; valori ammessi: ${p.expected}` : ''}${col(p, true)}`,
    en: `Unrecognised value ${q(p.value)}${p.expected ? `; allowed values: ${p.expected}` : ''}${col(p, false)}`,
  }),
  invalid_boolean: (p: IssueParams) => ({
    it: `${q(p.value)} non è un sì/no riconosciuto${col(p, true)}`,
    en: `${q(p.value)} is not a recognised yes/no${col(p, false)}`,
  }),
  invalid_currency: (p: IssueParams) => ({
    it: `Valuta non valida ${q(p.value)}: serve un codice ISO 4217 come EUR${col(p, true)}`,
    en: `Invalid currency ${q(p.value)}: an ISO 4217 code such as EUR is needed${col(p, false)}`,
  }),
  invalid_value: (p: IssueParams) => ({
    it: `Valore non valido per il campo ${q(p.field)}${col(p, true)}${p.detail ? `: ${p.detail}` : ''}`,
    en: `Invalid value for field ${q(p.field)}${col(p, false)}${p.detail ? `: ${p.detail}` : ''}`,
  }),
  mixed_currencies: (p: IssueParams) => ({
    it: `Le righe dell’ordine ${q(p.value)} hanno valute diverse`,
    en: `The rows of order ${q(p.value)} have different currencies`,
  }),
  too_many_lines: (p: IssueParams) => ({
    it: `L’ordine ${q(p.value)} ha più di ${p.count ?? 1000} righe`,
    en: `Order ${q(p.value)} has more than ${p.count ?? 1000} lines`,
  }),
} satisfies Record<string, (p: IssueParams) => LocalizedText>

/** Every reason code the importer reports. */
export type ImportIssueCode = keyof typeof MESSAGES

/** All reason codes, for documentation and exhaustive tests. */
export const IMPORT_ISSUE_CODES = Object.keys(MESSAGES) as ImportIssueCode[]

/**
 * One problem, located as precisely as the importer can: the 1-based physical line where the
 * record starts, the source column, the target field and the raw value (truncated to 200 chars).
 */
export interface ImportIssue {
  code: ImportIssueCode
  severity: IssueSeverity
  line: number | null
  column: string | null
  field: string | null
  value: string | null
  message: LocalizedText
}

const MAX_VALUE_CHARS = 200

/** Build an issue with its it/en message. The value is truncated to keep reports small. */
export function makeIssue(
  code: ImportIssueCode,
  severity: IssueSeverity,
  where: { line?: number | null; column?: string | null; field?: string | null },
  params: IssueParams = {},
): ImportIssue {
  const value =
    params.value == null
      ? null
      : params.value.length > MAX_VALUE_CHARS
        ? `${params.value.slice(0, MAX_VALUE_CHARS)}…`
        : params.value
  const full: IssueParams = {
    ...params,
    value,
    column: params.column ?? where.column ?? null,
    field: params.field ?? where.field ?? null,
  }
  return {
    code,
    severity,
    line: where.line ?? null,
    column: where.column ?? null,
    field: where.field ?? null,
    value,
    message: MESSAGES[code](full),
  }
}

/** The message of a code with parameters, without building a whole issue. */
export function issueMessage(code: ImportIssueCode, params: IssueParams = {}): LocalizedText {
  return MESSAGES[code](params)
}
