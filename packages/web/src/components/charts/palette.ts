/**
 * Okabe–Ito, the palette designed to stay distinguishable under the common colour-vision
 * deficiencies (Okabe & Ito 2008). Order puts the strongest pairs first; black is left out
 * because it vanishes on the dark theme, and blue is swapped for sky blue there for contrast.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const

export function seriesPalette(dark: boolean): string[] {
  const o = OKABE_ITO
  return dark
    ? [o.skyBlue, o.orange, o.green, o.vermillion, o.purple, o.yellow]
    : [o.blue, o.orange, o.green, o.vermillion, o.purple, o.skyBlue]
}

/** Tokens of styles.css the charts draw with, read when the theme changes. */
export type ChartInk = { ink: string; muted: string; line: string; surface: string; font: string }

export function chartInk(): ChartInk {
  const css = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback
  return {
    ink: v('--color-ink', '#14181f'),
    muted: v('--color-muted', '#545e6b'),
    line: v('--color-line', '#dfe3e8'),
    surface: v('--color-surface', '#ffffff'),
    // ECharts measures labels with this font: 'inherit' would measure one font and draw another.
    font: getComputedStyle(document.body).fontFamily || 'sans-serif',
  }
}
