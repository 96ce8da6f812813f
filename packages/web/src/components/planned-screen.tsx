import type { ReactNode } from 'react'
import { useCustomers } from '../hooks/api/customers.ts'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Card } from './ui/card.tsx'
import { ButtonLink } from './ui/button.tsx'
import { Icon, type IconName } from './ui/icons.tsx'
import { Skeleton } from './ui/skeleton.tsx'
import { PageHeader } from './ui/page-header.tsx'

type Screen = 'overview'

/**
 * A screen whose analytics API is not there yet: it says what will appear, shows a faint sketch
 * of it, and tells the user what to do meanwhile (load data, or try the demo), depending on
 * whether any customer exists.
 */
export function PlannedScreen({
  screen,
  icon,
  sketch,
  children,
}: {
  screen: Screen
  icon: IconName
  sketch: 'bars' | 'lines' | 'grid' | 'donut'
  children?: ReactNode
}) {
  const { t } = useI18n()
  const what = [1, 2, 3].map((n) => t(`${screen}.what.${n}` as MessageKey))
  return (
    <>
      <PageHeader
        title={t(`${screen}.title`)}
        lead={t(`${screen}.lead`)}
      />
      {children}
      <div className="grid items-start gap-6 lg:grid-cols-5">
        <Card title={t('empty.whatTitle')} className="lg:col-span-3" id={`${screen}-what`}>
          <ul className="space-y-3">
            {what.map((w) => (
              <li key={w} className="flex gap-3">
                <span className="mt-0.5 grid size-6 shrink-0 place-items-center rounded-full bg-brand-soft text-brand-text">
                  <Icon name={icon} className="size-3.5" />
                </span>
                <span>{w}</span>
              </li>
            ))}
          </ul>
          <figure className="mt-6 rounded-lg border border-dashed border-line-strong bg-canvas p-4">
            <figcaption className="mb-3 text-xs font-medium text-muted">
              {t('empty.preview')}
            </figcaption>
            <Sketch kind={sketch} />
          </figure>
        </Card>
        <NextSteps className="lg:col-span-2" />
      </div>
    </>
  )
}

function NextSteps({ className }: { className: string }) {
  const { t } = useI18n()
  const customers = useCustomers({ limit: 1 })
  const hasData = (customers.data?.items.length ?? 0) > 0
  return (
    <Card title={t('empty.nextTitle')} className={className} id="next-steps">
      {customers.isPending ? (
        <div className="space-y-2">
          <Skeleton className="h-4 w-3/4" />
          <Skeleton className="h-4 w-1/2" />
        </div>
      ) : hasData ? (
        <div className="space-y-4 text-sm">
          <p className="flex gap-2">
            <Icon name="check" className="size-5 shrink-0 text-ok" />
            {t('empty.hasData')}
          </p>
          <div className="flex flex-wrap gap-2">
            <ButtonLink to="/customers" variant="secondary" size="sm">
              {t('empty.seeCustomers')}
            </ButtonLink>
            <ButtonLink to="/data" variant="secondary" size="sm">
              {t('empty.importData')}
            </ButtonLink>
          </div>
        </div>
      ) : (
        <div className="space-y-4 text-sm">
          <ButtonLink to="/data">
            <Icon name="upload" className="size-4" />
            {t('empty.importData')}
          </ButtonLink>
          <p className="text-muted">
            <DemoHint />
          </p>
          <p className="text-muted">
            {t('empty.api')}{' '}
            <a className="font-medium text-brand-text underline" href="/api/docs">
              {t('empty.apiDocs')}
            </a>
          </p>
        </div>
      )}
    </Card>
  )
}

/** "run {command}" with the command as code, keeping the sentence whole in the catalogue. */
export function DemoHint() {
  const { t } = useI18n()
  const [before, after] = t('empty.demo').split('{command}')
  return (
    <>
      {before}
      <code className="rounded bg-subtle px-1.5 py-0.5 font-mono text-xs whitespace-nowrap text-ink">
        npx fedele demo
      </code>
      {after}
    </>
  )
}

/** A faint drawing of the future chart; decorative, hidden from assistive technology. */
function Sketch({ kind }: { kind: 'bars' | 'lines' | 'grid' | 'donut' }) {
  const stroke = 'var(--color-line-strong)'
  const fill = 'var(--color-brand-soft)'
  return (
    <svg viewBox="0 0 320 120" className="h-28 w-full" aria-hidden="true" role="presentation">
      {kind === 'bars' &&
        [40, 62, 55, 78, 70, 90, 84, 100].map((h, i) => (
          <rect
            key={i}
            x={12 + i * 38}
            y={115 - h}
            width="26"
            height={h}
            rx="3"
            fill={fill}
            stroke={stroke}
          />
        ))}
      {kind === 'lines' && (
        <>
          <path
            d="M5 100 C60 90 90 40 150 50 S250 30 315 15"
            fill="none"
            stroke="var(--color-brand)"
            strokeOpacity="0.35"
            strokeWidth="3"
          />
          <path
            d="M5 110 C70 105 120 80 170 85 S260 70 315 60"
            fill="none"
            stroke={stroke}
            strokeWidth="2"
            strokeDasharray="6 5"
          />
        </>
      )}
      {kind === 'grid' &&
        Array.from({ length: 6 }, (_, r) =>
          Array.from({ length: 12 - r }, (_, c) => (
            <rect
              key={`${r}-${c}`}
              x={8 + c * 25.5}
              y={6 + r * 19}
              width="22"
              height="15"
              rx="2"
              fill="var(--color-brand)"
              fillOpacity={0.08 + (0.5 * (12 - c - r)) / 12}
            />
          )),
        )}
      {kind === 'donut' && (
        <>
          <circle cx="60" cy="60" r="42" fill="none" stroke={fill} strokeWidth="22" />
          <circle
            cx="60"
            cy="60"
            r="42"
            fill="none"
            stroke="var(--color-brand)"
            strokeOpacity="0.35"
            strokeWidth="22"
            strokeDasharray="90 200"
          />
          {[0, 1, 2, 3].map((i) => (
            <rect
              key={i}
              x="130"
              y={22 + i * 22}
              width={150 - i * 25}
              height="12"
              rx="3"
              fill={fill}
              stroke={stroke}
            />
          ))}
        </>
      )}
    </svg>
  )
}
