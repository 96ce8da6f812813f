/**
 * CSV import: pick the kind of records and a file (or drop it), optionally set the format options
 * and column mappings, upload (POST /api/imports/:kind, multipart, options before the file), then
 * follow the background job (GET /api/jobs/:id) until its report: counts, rejected rows with the
 * reason, unmapped columns; a file the server could not plan shows why and goes back to the form
 * with the same file and options, to fix one (typically the date format) and try again.
 */
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react'
import { Badge, Card } from '../../components/ui/card.tsx'
import { Button } from '../../components/ui/button.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { SelectField, TextField } from '../../components/ui/field.tsx'
import { Icon } from '../../components/ui/icons.tsx'
import { Table, td, th } from '../../components/ui/table.tsx'
import {
  DEFAULT_IMPORT_OPTIONS,
  IMPORT_KINDS,
  IMPORT_PRESETS,
  isImportFailure,
  useInvalidateData,
  useUploadImport,
  type ImportFailure,
  type ImportKind,
  type ImportOptions,
  type ImportProgress,
  type ImportReport,
} from '../../hooks/api/imports.ts'
import { useJob } from '../../hooks/api/jobs.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'

const DATE_CODES = new Set(['date_order_ambiguous', 'date_order_conflict'])

export function ImportPanel({ className = '' }: { className?: string }) {
  const { t } = useI18n()
  const [kind, setKind] = useState<ImportKind>('orders')
  const [file, setFile] = useState<File | null>(null)
  const [options, setOptions] = useState<ImportOptions>(DEFAULT_IMPORT_OPTIONS)
  const [showOptions, setShowOptions] = useState(false)
  const [jobId, setJobId] = useState<number | undefined>(undefined)
  const upload = useUploadImport()

  const start = () => {
    if (!file) return
    upload.mutate({ kind, file, options }, { onSuccess: (r) => setJobId(r.job_id) })
  }
  const retry = (openOptions: boolean) => {
    setJobId(undefined)
    upload.reset()
    if (openOptions) setShowOptions(true)
  }
  const another = () => {
    setJobId(undefined)
    upload.reset()
    setFile(null)
  }

  return (
    <Card
      title={t('data.import.title')}
      lead={t('data.import.lead')}
      className={className}
      id="import"
    >
      <div data-testid="import-panel" className="text-sm">
        {jobId === undefined ? (
          <ImportForm
            kind={kind}
            setKind={setKind}
            file={file}
            setFile={setFile}
            options={options}
            setOptions={setOptions}
            showOptions={showOptions}
            setShowOptions={setShowOptions}
            busy={upload.isPending}
            error={upload.error}
            onSubmit={start}
          />
        ) : (
          <ImportJob jobId={jobId} onRetry={retry} onAnother={another} />
        )}
      </div>
    </Card>
  )
}

function ImportForm(props: {
  kind: ImportKind
  setKind: (k: ImportKind) => void
  file: File | null
  setFile: (f: File | null) => void
  options: ImportOptions
  setOptions: (o: ImportOptions) => void
  showOptions: boolean
  setShowOptions: (b: boolean) => void
  busy: boolean
  error: unknown
  onSubmit: () => void
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const { kind, file, options: o, setOptions } = props
  const [dragging, setDragging] = useState(false)
  const set = <K extends keyof ImportOptions>(k: K, v: ImportOptions[K]) =>
    setOptions({ ...o, [k]: v })
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    const f = e.dataTransfer.files[0]
    if (f) props.setFile(f)
  }

  return (
    <form
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault()
        props.onSubmit()
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label={t('data.import.kind')}
          value={kind}
          onChange={(e) => props.setKind(e.target.value as ImportKind)}
        >
          {IMPORT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`data.import.kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('data.import.preset')}
          value={o.preset}
          onChange={(e) => set('preset', e.target.value)}
        >
          <option value="">{t('data.import.preset.detect')}</option>
          {IMPORT_PRESETS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
          <option value={`generic-${kind}`}>{`generic-${kind}`}</option>
        </SelectField>
      </div>

      <label
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="import-drop"
        className={`flex cursor-pointer items-center gap-3 rounded-lg border-2 border-dashed p-5 focus-within:outline-2 focus-within:outline-brand ${
          dragging ? 'border-brand bg-brand-soft' : 'border-line-strong bg-canvas hover:bg-subtle'
        }`}
      >
        <Icon name="upload" className="size-7 shrink-0 text-muted" />
        <span className="min-w-0 flex-1">
          <span className="block font-medium">
            {file ? file.name : t('data.import.file.choose')}
          </span>
          <span className="block text-xs text-muted">
            {file
              ? t('data.import.file.size', { size: fmt.number(Math.ceil(file.size / 1024)) })
              : t('data.import.file.help')}
          </span>
        </span>
        <input
          type="file"
          className="sr-only"
          accept=".csv,.tsv,.txt,.jsonl,.ndjson,text/csv,text/tab-separated-values,text/plain"
          aria-label={t('data.import.file.label')}
          onChange={(e) => props.setFile(e.target.files?.[0] ?? null)}
        />
      </label>

      <div className="space-y-2">
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            className="mt-0.5 size-4 accent-brand"
            checked={o.dry_run}
            onChange={(e) => set('dry_run', e.target.checked)}
          />
          <span>
            <span className="font-medium">{t('data.import.dryRun')}</span>
            <span className="block text-xs text-muted">{t('data.import.dryRun.help')}</span>
          </span>
        </label>
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            className="mt-0.5 size-4 accent-brand"
            checked={o.skip_invalid}
            onChange={(e) => set('skip_invalid', e.target.checked)}
          />
          <span>
            <span className="font-medium">{t('data.import.skipInvalid')}</span>
            <span className="block text-xs text-muted">{t('data.import.skipInvalid.help')}</span>
          </span>
        </label>
      </div>

      <details
        open={props.showOptions}
        onToggle={(e) => props.setShowOptions(e.currentTarget.open)}
        className="rounded-lg border border-line"
      >
        <summary className="cursor-pointer px-4 py-3 font-medium">
          {t('data.import.options')}
        </summary>
        <div className="space-y-4 border-t border-line px-4 py-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label={t('data.import.dateFormat')}
              help={t('data.import.dateFormat.help')}
              value={o.date_format}
              onChange={(e) => set('date_format', e.target.value as ImportOptions['date_format'])}
            >
              <option value="">{t('data.import.auto')}</option>
              <option value="dd/mm/yyyy">{t('data.import.dateFormat.dmy')}</option>
              <option value="mm/dd/yyyy">{t('data.import.dateFormat.mdy')}</option>
            </SelectField>
            <SelectField
              label={t('data.import.decimal')}
              value={o.decimal}
              onChange={(e) => set('decimal', e.target.value as ImportOptions['decimal'])}
            >
              <option value="">{t('data.import.auto')}</option>
              <option value=",">{t('data.import.decimal.comma')}</option>
              <option value=".">{t('data.import.decimal.point')}</option>
            </SelectField>
            <SelectField
              label={t('data.import.delimiter')}
              value={o.delimiter}
              onChange={(e) => set('delimiter', e.target.value)}
            >
              <option value="">{t('data.import.auto')}</option>
              <option value=",">{t('data.import.delimiter.comma')}</option>
              <option value=";">{t('data.import.delimiter.semicolon')}</option>
              <option value="tab">{t('data.import.delimiter.tab')}</option>
              <option value="|">{t('data.import.delimiter.pipe')}</option>
            </SelectField>
            <SelectField
              label={t('data.import.encoding')}
              value={o.encoding}
              onChange={(e) => set('encoding', e.target.value as ImportOptions['encoding'])}
            >
              <option value="">{t('data.import.auto')}</option>
              <option value="utf-8">UTF-8</option>
              <option value="windows-1252">Windows-1252</option>
            </SelectField>
            <TextField
              label={t('data.import.timeZone')}
              optional={t('common.optional')}
              help={t('data.import.timeZone.help')}
              placeholder="Europe/Rome"
              value={o.time_zone}
              onChange={(e) => set('time_zone', e.target.value)}
            />
            <TextField
              label={t('data.import.currency')}
              optional={t('common.optional')}
              help={t('data.import.currency.help')}
              placeholder="EUR"
              maxLength={3}
              value={o.currency}
              onChange={(e) => set('currency', e.target.value.toUpperCase())}
            />
          </div>
          <MappingEditor map={o.map} onChange={(m) => set('map', m)} />
        </div>
      </details>

      {props.error !== null && <ErrorNotice error={props.error} />}

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={!file || props.busy}>
          <Icon name="upload" className="size-4" />
          {props.busy
            ? t('data.import.uploading')
            : o.dry_run
              ? t('data.import.submit.validate')
              : t('data.import.submit')}
        </Button>
        {!file && <span className="text-xs text-muted">{t('data.import.file.needed')}</span>}
      </div>
    </form>
  )
}

function MappingEditor({
  map,
  onChange,
}: {
  map: ImportOptions['map']
  onChange: (m: ImportOptions['map']) => void
}) {
  const { t } = useI18n()
  const update = (i: number, patch: Partial<ImportOptions['map'][number]>) =>
    onChange(map.map((m, j) => (j === i ? { ...m, ...patch } : m)))
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">{t('data.import.map')}</legend>
      <p className="text-xs text-muted">{t('data.import.map.help')}</p>
      {map.map((m, i) => (
        <div key={i} className="flex items-center gap-2" data-testid="map-row">
          <input
            aria-label={t('data.import.map.field', { n: i + 1 })}
            placeholder={t('data.import.map.fieldPlaceholder')}
            className="h-9 min-w-0 flex-1 rounded-md border border-line-strong bg-surface px-2 font-mono text-xs"
            value={m.field}
            onChange={(e) => update(i, { field: e.target.value })}
          />
          <span aria-hidden="true" className="text-muted">
            ←
          </span>
          <input
            aria-label={t('data.import.map.column', { n: i + 1 })}
            placeholder={t('data.import.map.columnPlaceholder')}
            className="h-9 min-w-0 flex-1 rounded-md border border-line-strong bg-surface px-2 font-mono text-xs"
            value={m.column}
            onChange={(e) => update(i, { column: e.target.value })}
          />
          <Button
            variant="ghost"
            size="sm"
            aria-label={t('data.import.map.remove', { n: i + 1 })}
            onClick={() => onChange(map.filter((_, j) => j !== i))}
          >
            ×
          </Button>
        </div>
      ))}
      <Button
        variant="secondary"
        size="sm"
        onClick={() => onChange([...map, { field: '', column: '' }])}
      >
        {t('data.import.map.add')}
      </Button>
    </fieldset>
  )
}

function ImportJob({
  jobId,
  onRetry,
  onAnother,
}: {
  jobId: number
  onRetry: (openOptions: boolean) => void
  onAnother: () => void
}) {
  const { t } = useI18n()
  const job = useJob(jobId)
  const invalidate = useInvalidateData()
  const invalidated = useRef<number | null>(null)
  const data = job.data
  const result = data?.status === 'succeeded' || data?.status === 'completed' ? data.result : null
  const report = result && !isImportFailure(result) ? (result as ImportReport) : null

  useEffect(() => {
    if (report?.committed && invalidated.current !== jobId) {
      invalidated.current = jobId
      void invalidate()
    }
  }, [report, jobId, invalidate])

  if (job.isError) return <ErrorNotice error={job.error} onRetry={() => void job.refetch()} />
  if (!data || data.status === 'queued' || data.status === 'running' || data.status === 'pending')
    return <ImportRunning progress={toProgress(data?.progress)} />
  if (isImportFailure(result))
    return <ImportFailed failure={result} onRetry={() => onRetry(true)} />
  if (report)
    return <ImportReportView report={report} onRetry={() => onRetry(false)} onAnother={onAnother} />
  return (
    <div className="space-y-4">
      <ErrorNotice
        error={new Error(data.error ?? data.status)}
        title={t('data.import.jobFailed')}
      />
      <Button variant="secondary" onClick={() => onRetry(false)}>
        {t('data.import.retry')}
      </Button>
    </div>
  )
}

function ImportRunning({ progress }: { progress: ImportProgress | null }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const total = progress?.totalBytes ?? 0
  const pct = total > 0 ? Math.min(100, Math.round(((progress?.bytes ?? 0) / total) * 100)) : null
  return (
    <div className="space-y-3" data-testid="import-progress" aria-live="polite">
      <p className="font-medium">
        {progress?.phase === 'import'
          ? t('data.import.phase.import')
          : progress?.phase === 'scan'
            ? t('data.import.phase.scan')
            : t('data.import.phase.queued')}
        {progress?.file ? ` — ${progress.file}` : ''}
      </p>
      <div
        role="progressbar"
        aria-label={t('data.import.progress')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        className="h-2 overflow-hidden rounded-full bg-subtle"
      >
        <div
          className={`h-full rounded-full bg-brand ${pct === null ? 'w-1/4 opacity-60' : ''}`}
          style={pct === null ? undefined : { width: `${pct}%` }}
        />
      </div>
      <p className="tabular text-xs text-muted">
        {pct !== null && `${fmt.number(pct)}% · `}
        {t('data.import.rowsRead', { count: fmt.number(progress?.rows ?? 0) })}
      </p>
    </div>
  )
}

function toProgress(p: unknown): ImportProgress | null {
  return typeof p === 'object' && p !== null ? p : null
}

function issueText(message: string | Record<string, string>, locale: string): string {
  return typeof message === 'string' ? message : (message[locale] ?? message.en ?? '')
}

function ImportFailed({ failure, onRetry }: { failure: ImportFailure; onRetry: () => void }) {
  const { t, locale } = useI18n()
  const dateProblem = failure.issues.some((i) => DATE_CODES.has(i.code))
  const lines = failure.issues.length
    ? failure.issues.map((i) => ({
        where: [i.line !== null ? t('data.import.line', { line: i.line }) : '', i.column ?? '']
          .filter(Boolean)
          .join(' · '),
        text: issueText(i.message, locale),
      }))
    : [{ where: '', text: failure.message }]
  return (
    <div className="space-y-4" data-testid="import-failed">
      <div
        role="alert"
        className="flex gap-3 rounded-lg border border-danger/30 bg-danger-soft px-4 py-3"
      >
        <Icon name="alert" className="mt-0.5 size-5 shrink-0 text-danger" />
        <div className="min-w-0 flex-1">
          <p className="font-semibold text-danger">{t('data.import.failed.title')}</p>
          <ul className="mt-1 space-y-1">
            {lines.map((l, i) => (
              <li key={i}>
                {l.where && <span className="font-medium">{l.where}: </span>}
                {l.text}
              </li>
            ))}
          </ul>
        </div>
      </div>
      {dateProblem && (
        <p className="rounded-lg bg-info-soft px-4 py-3 text-info" data-testid="date-hint">
          {t('data.import.failed.dateHint')}
        </p>
      )}
      <Button onClick={onRetry}>{t('data.import.retryWithOptions')}</Button>
    </div>
  )
}

function ImportReportView({
  report: r,
  onRetry,
  onAnother,
}: {
  report: ImportReport
  onRetry: () => void
  onAnother: () => void
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const n = (v: number) => fmt.number(v)
  const headline = r.committed
    ? t('data.import.report.committed')
    : r.dry_run
      ? t('data.import.report.dryRun')
      : t('data.import.report.notCommitted')
  const tone = r.committed ? 'ok' : r.dry_run ? 'info' : 'warn'
  const counts: [string, string, number][] = [
    ['rows', t('data.import.count.rows'), r.rows],
    ['inserted', t('data.import.count.inserted'), r.inserted],
    ['updated', t('data.import.count.updated'), r.updated],
    ['unchanged', t('data.import.count.unchanged'), r.unchanged],
    ['rejected', t('data.import.count.rejected'), r.rejected_rows],
  ]
  const extras: string[] = []
  if (r.grouped_rows) extras.push(t('data.import.extra.grouped', { count: n(r.grouped_rows) }))
  if (r.anonymous_sales)
    extras.push(t('data.import.extra.anonymous', { count: n(r.anonymous_sales) }))
  if (r.refunds.found)
    extras.push(
      t('data.import.extra.refunds', {
        found: n(r.refunds.found),
        applied: n(r.refunds.applied),
        unmatched: n(r.refunds.unmatched),
      }),
    )
  if (r.refunds.already_applied)
    extras.push(t('data.import.extra.refundsAlready', { count: n(r.refunds.already_applied) }))
  if (r.refunds.pending)
    extras.push(t('data.import.extra.refundsPending', { count: n(r.refunds.pending) }))
  const fromOrders = r.customers_from_orders
  if (fromOrders && fromOrders.inserted + fromOrders.updated + fromOrders.unchanged > 0)
    extras.push(
      t('data.import.extra.customersFromOrders', {
        inserted: n(fromOrders.inserted),
        updated: n(fromOrders.updated),
        unchanged: n(fromOrders.unchanged),
      }),
    )
  if (r.repeated_in_file)
    extras.push(t('data.import.extra.repeated', { count: n(r.repeated_in_file) }))
  const delimiter = r.format.delimiter === '\t' ? 'TAB' : (r.format.delimiter ?? '')

  return (
    <div className="space-y-5" data-testid="import-report">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={tone}>{headline}</Badge>
        <span className="text-muted">
          {t('data.import.report.file', {
            file: r.file,
            seconds: n(Math.round(r.seconds * 10) / 10),
          })}
        </span>
      </div>
      {!r.committed && !r.dry_run && r.rejected_rows > 0 && (
        <p className="rounded-lg bg-warn-soft px-4 py-3 text-warn">
          {t('data.import.report.allOrNothing')}
        </p>
      )}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        {counts.map(([id, label, value]) => (
          <div key={id} className="rounded-lg border border-line p-3">
            <dt className="text-xs text-muted">{label}</dt>
            <dd className="tabular text-xl font-semibold" data-testid={`import-count-${id}`}>
              {n(value)}
            </dd>
          </div>
        ))}
      </dl>
      <ul className="space-y-1">
        <li>
          {r.preset
            ? r.preset_detected
              ? t('data.import.report.presetDetected', { preset: r.preset })
              : t('data.import.report.presetChosen', { preset: r.preset })
            : t('data.import.report.presetNone')}
        </li>
        <li className="text-muted">
          {t('data.import.report.format', {
            kind: r.format.kind.toUpperCase(),
            encoding: r.format.encoding,
            delimiter: delimiter || '—',
          })}
        </li>
        {extras.map((e) => (
          <li key={e} className="text-muted">
            {e}
          </li>
        ))}
      </ul>
      {r.unmapped_columns.length > 0 && (
        <div>
          <h3 className="mb-1 font-medium">{t('data.import.report.unmapped')}</h3>
          <p className="mb-2 text-xs text-muted">{t('data.import.report.unmapped.help')}</p>
          <ul className="flex flex-wrap gap-1.5" data-testid="unmapped-columns">
            {r.unmapped_columns.map((c) => (
              <li key={c}>
                <Badge>{c}</Badge>
              </li>
            ))}
          </ul>
        </div>
      )}
      {r.rejects.length > 0 && (
        <div>
          <h3 className="mb-2 font-medium">
            {t('data.import.report.rejects', { count: n(r.rejected_rows) })}
          </h3>
          <Table label={t('data.import.report.rejectsTable')}>
            <thead>
              <tr>
                <th scope="col" className={th}>
                  {t('data.import.col.line')}
                </th>
                <th scope="col" className={th}>
                  {t('data.import.col.column')}
                </th>
                <th scope="col" className={th}>
                  {t('data.import.col.value')}
                </th>
                <th scope="col" className={th}>
                  {t('data.import.col.reason')}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.rejects.map((x, i) => (
                <tr key={`${x.line}-${i}`}>
                  <td className={`${td} tabular`}>{x.line}</td>
                  <td className={`${td} font-mono text-xs`}>{x.column ?? '—'}</td>
                  <td className={`${td} font-mono text-xs whitespace-nowrap`}>{x.value ?? '—'}</td>
                  <td className={td}>{x.message}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          {r.rejected_rows > r.rejects.length && (
            <p className="mt-2 text-xs text-muted">
              {t('data.import.report.rejectsPartial', { count: n(r.rejects.length) })}
            </p>
          )}
        </div>
      )}
      {r.issues.length > 0 && (
        <Section title={t('data.import.report.warnings', { count: n(r.warnings) })}>
          <ul className="list-disc space-y-1 pl-5 text-muted">
            {r.issues.map((i, k) => (
              <li key={k}>
                {i.line !== null && `${t('data.import.line', { line: i.line })}: `}
                {i.message}
              </li>
            ))}
          </ul>
        </Section>
      )}
      <div className="flex flex-wrap gap-3">
        {!r.committed && <Button onClick={onRetry}>{t('data.import.retryWithOptions')}</Button>}
        <Button variant={r.committed ? 'primary' : 'secondary'} onClick={onAnother}>
          {t('data.import.another')}
        </Button>
      </div>
    </div>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <h3 className="mb-1 font-medium">{title}</h3>
      {children}
    </div>
  )
}
