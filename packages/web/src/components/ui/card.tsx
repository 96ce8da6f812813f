import type { ReactNode } from 'react'

/** A titled panel. The title is a real heading so screen-reader users can jump between panels. */
export function Card({
  title,
  lead,
  actions,
  children,
  className = '',
  headingLevel = 2,
  id,
}: {
  title?: ReactNode
  lead?: ReactNode
  actions?: ReactNode
  children?: ReactNode
  className?: string
  headingLevel?: 2 | 3
  id?: string
}) {
  const H = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <section
      className={`rounded-xl border border-line bg-surface shadow-sm ${className}`}
      aria-labelledby={title && id ? `${id}-title` : undefined}
    >
      {(title || actions) && (
        <header className="flex flex-wrap items-start justify-between gap-3 border-b border-line px-5 py-4">
          <div className="min-w-0">
            {title && (
              <H id={id ? `${id}-title` : undefined} className="text-base font-semibold">
                {title}
              </H>
            )}
            {lead && <p className="mt-0.5 text-sm text-muted">{lead}</p>}
          </div>
          {actions}
        </header>
      )}
      <div className="px-5 py-4">{children}</div>
    </section>
  )
}

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'brand' | 'ok' | 'warn' | 'danger' | 'info'
  children: ReactNode
}) {
  const tones = {
    neutral: 'bg-subtle text-muted border-line',
    brand: 'bg-brand-soft text-brand-text border-transparent',
    ok: 'bg-ok-soft text-ok border-transparent',
    warn: 'bg-warn-soft text-warn border-transparent',
    danger: 'bg-danger-soft text-danger border-transparent',
    info: 'bg-info-soft text-info border-transparent',
  }
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap ${tones[tone]}`}
    >
      {children}
    </span>
  )
}
