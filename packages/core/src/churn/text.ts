/** Languages of user-facing text in Fedele. */
export type Lang = 'it' | 'en'

/** A user-facing message in every supported language. */
export interface LocalizedText {
  readonly it: string
  readonly en: string
}
