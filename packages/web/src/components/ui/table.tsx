import type { ReactNode, TableHTMLAttributes } from 'react'

/** A data table that scrolls sideways on narrow screens instead of squeezing its columns. */
export function Table({
  children,
  label,
  ...rest
}: { children: ReactNode; label: string } & TableHTMLAttributes<HTMLTableElement>) {
  return (
    // Focusable so keyboard users can scroll a table wider than the screen.
    <div className="-mx-5 overflow-x-auto" tabIndex={0} role="region" aria-label={label}>
      <table
        aria-label={label}
        className="w-full min-w-[36rem] border-collapse text-sm [&_tbody_tr:last-child>td]:border-b-0"
        {...rest}
      >
        {children}
      </table>
    </div>
  )
}

export const th =
  'border-b border-line px-5 py-2 text-left text-xs font-semibold uppercase tracking-wide text-muted'
export const td = 'border-b border-line px-5 py-3 align-top'
