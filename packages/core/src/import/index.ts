/**
 * The CSV/TSV/whitespace/JSON Lines importer: the pure part (no I/O). The server reads the file
 * and writes the records; everything between bytes and validated records is here.
 *
 * The three steps (see docs/import.md for the whole story):
 *
 * ```ts
 * const plan = planImport(firstBytes, options)            // encoding, delimiter, header, preset
 * if (!plan.ok) return showErrors(plan.error)
 * const scanner = createScanner(plan.value)                // whole-file facts: dd/mm vs mm/dd…
 * for await (const chunk of file()) scanner.push(chunk)
 * const final = finalizePlan(plan.value, scanner.end())
 * if (!final.ok) return showErrors(final.error)            // e.g. date_order_ambiguous
 * const importer = createImporter(final.value)
 * for await (const chunk of file()) handle(importer.push(chunk))
 * handle(importer.end())
 * const summary = importer.summary()
 * ```
 */

export {
  createImporter,
  createRowReader,
  createScanner,
  finalizePlan,
  planImport,
  type Importer,
  type ImportOptions,
  type ImportPlan,
  type ImportSummary,
  type ReaderStats,
  type RowReader,
  type Scanner,
  type ScanReport,
} from './pipeline.ts'
export {
  createRecordConverter,
  type AnyRecordOutput,
  type ConversionSummary,
  type ConverterConfig,
  type ImportOutput,
  type ImportRow,
  type IssueOutput,
  type OrderOptions,
  type RecordConverter,
  type RecordOf,
  type RecordOutput,
  type RefundOutput,
  type RejectedOutput,
  type ValueConventions,
} from './convert.ts'
export { applyRefund, type AppliedRefund, type OrderRefund } from './refunds.ts'
export {
  IMPORT_ISSUE_CODES,
  issueMessage,
  makeIssue,
  type ImportIssue,
  type ImportIssueCode,
  type IssueParams,
  type IssueSeverity,
  type LocalizedText,
} from './messages.ts'
export {
  createDelimitedTokenizer,
  createJsonLinesTokenizer,
  createLineSplitter,
  createWhitespaceTokenizer,
  splitWhitespace,
  type DelimitedTokenizerOptions,
  type JsonRecord,
  type RawRecord,
  type Tokenizer,
} from './tokenizer.ts'
export {
  createStreamDecoder,
  detectEncoding,
  isValidUtf8,
  parseEncodingName,
  TEXT_ENCODINGS,
  type EncodingDetection,
  type StreamDecoder,
  type TextEncodingName,
} from './encoding.ts'
export {
  cleanHeader,
  DELIMITER_CANDIDATES,
  detectDelimiter,
  detectKind,
  findHeaderRecord,
  type CleanHeader,
  type DelimiterDetection,
  type KindDetection,
} from './sniff.ts'
export {
  currencyMinorDigits,
  decimalSeparatorEvidence,
  parseAmount,
  parseBoolean,
  parseDecimal,
  parseInteger,
  toMinorUnits,
  type AmountOptions,
  type DecimalSeparator,
  type ParsedDecimal,
  type RoundingMode,
} from './numbers.ts'
export {
  createDateOrderDetector,
  dateOrderEvidence,
  DEFAULT_TIME_ZONE,
  excelSerialParts,
  formatInstant,
  isValidTimeZone,
  parseCalendarDate,
  parseDateFormatOption,
  parseDateParts,
  parseInstant,
  partsToInstant,
  timeZoneOffsetMs,
  zonedTimeToUtc,
  type DateError,
  type DateOptions,
  type DateOrder,
  type DateOrderDetector,
  type DateOrderInference,
  type DateParts,
} from './dates.ts'
export {
  mergeMappings,
  normalizeHeaderName,
  parseImportProfile,
  parseMapArguments,
  resolveMapping,
  toSource,
  ZImportProfile,
  type ColumnRef,
  type FieldMapping,
  type FieldMappingValue,
  type FieldSource,
  type ImportProfile,
  type ResolvedField,
  type ResolvedMapping,
  type ValueTransform,
} from './mapping.ts'
export {
  detectPreset,
  getPreset,
  looksLikeCdnow,
  PRESETS,
  type ImportPreset,
  type PresetDetection,
  type PresetMatch,
} from './presets.ts'
export { ENTITY_FIELDS, fieldDef, type FieldDef, type FieldType } from './fields.ts'
export { canonicalJson, recordHash, sha256Hex, utf8Bytes } from './hash.ts'
