/**
 * The custom segment builder: and / or groups (each can be negated) of conditions on attributes,
 * metrics, predictions, tags and RFM segments, fields and operators from the server's catalog,
 * and a live count of the customers that match (debounced while typing).
 */
import { useEffect, useState } from 'react'
import { Button } from '../../components/ui/button.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { TextField } from '../../components/ui/field.tsx'
import {
  useSaveSegment,
  useSegmentPreview,
  type CatalogField,
  type SavedSegment,
  type SegmentCatalog,
} from '../../hooks/api/segments.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import {
  emptyGroup,
  emptyLeaf,
  fieldOf,
  fromRule,
  OPERATORS,
  toRule,
  updateNode,
  type Group,
  type Node,
} from './rule-tree.ts'

const CONTROL =
  'h-9 rounded-md border border-line-strong bg-surface px-2 text-sm text-ink focus:border-brand focus:outline-2 focus:outline-brand/40'

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return v
}

type Edit = (id: string, next: (n: Node) => Node | null) => void

export function SegmentBuilder({
  catalog,
  initial,
  onDone,
}: {
  catalog: SegmentCatalog
  initial: SavedSegment | null
  onDone: (saved: SavedSegment | null) => void
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const currency = catalog.currency
  const [name, setName] = useState(initial?.name ?? '')
  const [description, setDescription] = useState(initial?.description ?? '')
  const [root, setRoot] = useState<Group>(() =>
    initial ? fromRule(initial.rule, catalog.fields, currency) : emptyGroup(),
  )
  const [nameError, setNameError] = useState<string | null>(null)
  const rule = toRule(root, catalog.fields, currency)
  const debounced = useDebounced(rule, 400)
  const preview = useSegmentPreview(debounced)
  const save = useSaveSegment()
  const edit: Edit = (id, next) => setRoot((r) => updateNode(r, id, next))

  const submit = async () => {
    if (name.trim() === '') {
      setNameError(t('segments.builder.name.required'))
      return
    }
    if (!rule) return
    setNameError(null)
    const saved = await save.mutateAsync({
      ...(initial ? { id: initial.id } : {}),
      name: name.trim(),
      description: description.trim() === '' ? null : description.trim(),
      rule,
    })
    onDone(saved)
  }

  return (
    <form
      className="space-y-5"
      aria-label={initial ? t('segments.builder.editTitle') : t('segments.builder.newTitle')}
      onSubmit={(e) => {
        e.preventDefault()
        void submit().catch(() => undefined)
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label={t('segments.builder.name')}
          value={name}
          maxLength={120}
          error={nameError}
          onChange={(e) => setName(e.target.value)}
        />
        <TextField
          label={t('segments.builder.description')}
          optional={t('common.optional')}
          value={description}
          maxLength={2000}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>

      <GroupEditor group={root} catalog={catalog} edit={edit} depth={0} />

      <div
        className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-line bg-subtle px-4 py-3"
        aria-live="polite"
        data-testid="segment-live-count"
      >
        {rule === null ? (
          <p className="text-sm text-muted">{t('segments.builder.incomplete')}</p>
        ) : preview.isError ? (
          <ErrorNotice error={preview.error} title={t('segments.builder.previewError')} />
        ) : preview.data ? (
          <p className="text-sm">
            <span className="tabular text-lg font-semibold">{fmt.number(preview.data.count)}</span>{' '}
            {t('segments.builder.match', {
              value: fmt.money(preview.data.value, preview.data.currency),
            })}
            {preview.isFetching && <span className="ml-2 text-muted">{t('common.loading')}</span>}
          </p>
        ) : (
          <p className="text-sm text-muted">{t('common.loading')}</p>
        )}
        {preview.data && preview.data.sample.length > 0 && rule !== null && (
          <p className="text-xs text-muted">
            {t('segments.builder.sample')}{' '}
            {preview.data.sample.map((c) => c.name ?? c.external_id ?? `#${c.id}`).join(', ')}
          </p>
        )}
      </div>

      {save.isError && <ErrorNotice error={save.error} />}
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" disabled={rule === null || save.isPending}>
          {save.isPending ? t('common.saving') : t('segments.builder.save')}
        </Button>
      </div>
    </form>
  )
}

function GroupEditor({
  group,
  catalog,
  edit,
  depth,
}: {
  group: Group
  catalog: SegmentCatalog
  edit: Edit
  depth: number
}) {
  const { t } = useI18n()
  const add = (node: Node) =>
    edit(group.id, (g) => ({ ...(g as Group), children: [...(g as Group).children, node] }))
  return (
    <fieldset
      className={`space-y-3 rounded-lg border border-line p-3 ${depth > 0 ? 'bg-subtle/50' : ''}`}
    >
      <legend className="px-1 text-sm font-medium">
        {depth === 0 ? t('segments.builder.rule') : t('segments.builder.group')}
      </legend>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-2">
          <span>{t('segments.builder.join')}</span>
          <select
            className={CONTROL}
            value={group.join}
            onChange={(e) =>
              edit(group.id, (g) => ({ ...(g as Group), join: e.target.value as 'and' | 'or' }))
            }
          >
            <option value="and">{t('segments.builder.join.and')}</option>
            <option value="or">{t('segments.builder.join.or')}</option>
          </select>
        </label>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={group.negate}
            onChange={(e) => edit(group.id, (g) => ({ ...(g as Group), negate: e.target.checked }))}
          />
          {t('segments.builder.negate')}
        </label>
        {depth > 0 && (
          <Button variant="ghost" size="sm" onClick={() => edit(group.id, () => null)}>
            {t('segments.builder.removeGroup')}
          </Button>
        )}
      </div>
      <ul className="space-y-2">
        {group.children.map((child) => (
          <li key={child.id}>
            {child.type === 'group' ? (
              <GroupEditor group={child} catalog={catalog} edit={edit} depth={depth + 1} />
            ) : (
              <ConditionRow node={child} catalog={catalog} edit={edit} />
            )}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" onClick={() => add(emptyLeaf())}>
          {t('segments.builder.addCondition')}
        </Button>
        {depth < 3 && (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => add(emptyGroup(group.join === 'and' ? 'or' : 'and'))}
          >
            {t('segments.builder.addGroup')}
          </Button>
        )}
      </div>
    </fieldset>
  )
}

const KIND_LABEL: Record<CatalogField['kind'], MessageKey> = {
  attribute: 'segments.builder.kind.attribute',
  metric: 'segments.builder.kind.metric',
  prediction: 'segments.builder.kind.prediction',
}

function ConditionRow({
  node,
  catalog,
  edit,
}: {
  node: Exclude<Node, Group>
  catalog: SegmentCatalog
  edit: Edit
}) {
  const { t, locale } = useI18n()
  const what = node.type === 'field' ? node.key : node.type
  const field = node.type === 'field' ? fieldOf(catalog.fields, node.key) : undefined
  const choose = (key: string) =>
    edit(node.id, () => {
      if (key === 'tag') return { id: node.id, type: 'tag', op: 'has', tag: catalog.tags[0] ?? '' }
      if (key === 'rfm') return { id: node.id, type: 'rfm', op: 'in', segments: [] }
      const f = fieldOf(catalog.fields, key)
      return {
        id: node.id,
        type: 'field',
        key,
        op: f ? OPERATORS[f.type][0]! : '',
        value: '',
        value2: '',
      }
    })
  const kinds = (['attribute', 'metric', 'prediction'] as const).filter((k) =>
    catalog.fields.some((f) => f.kind === k),
  )
  const unitHint =
    field?.unit === 'money'
      ? catalog.currency
      : field?.unit === 'days'
        ? t('segments.builder.unit.days')
        : field?.unit === 'probability'
          ? '0–1'
          : ''
  return (
    <div className="flex flex-wrap items-center gap-2" data-condition>
      <select
        className={`${CONTROL} min-w-48`}
        aria-label={t('segments.builder.field')}
        value={what}
        onChange={(e) => choose(e.target.value)}
      >
        <option value="" disabled>
          {t('segments.builder.field.choose')}
        </option>
        {kinds.map((k) => (
          <optgroup key={k} label={t(KIND_LABEL[k])}>
            {catalog.fields
              .filter((f) => f.kind === k)
              .map((f) => (
                <option key={f.field} value={`${f.kind}:${f.field}`}>
                  {f.label[locale]}
                </option>
              ))}
          </optgroup>
        ))}
        <optgroup label={t('segments.builder.kind.other')}>
          <option value="tag">{t('segments.builder.kind.tag')}</option>
          <option value="rfm">{t('segments.builder.kind.rfm')}</option>
        </optgroup>
      </select>

      {node.type === 'field' && field && (
        <>
          <OperatorSelect node={node} operators={OPERATORS[field.type]} edit={edit} />
          <ValueInputs node={node} field={field} edit={edit} />
          {unitHint && <span className="text-xs text-muted">{unitHint}</span>}
        </>
      )}

      {node.type === 'tag' && (
        <>
          <OperatorSelect node={node} operators={['has', 'not_has']} edit={edit} />
          <input
            className={CONTROL}
            aria-label={t('segments.builder.kind.tag')}
            list={`${node.id}-tags`}
            value={node.tag}
            onChange={(e) => edit(node.id, (n) => ({ ...n, tag: e.target.value }) as Node)}
          />
          <datalist id={`${node.id}-tags`}>
            {catalog.tags.map((tag) => (
              <option key={tag} value={tag} />
            ))}
          </datalist>
        </>
      )}

      {node.type === 'rfm' && (
        <>
          <OperatorSelect node={node} operators={['in', 'not_in']} edit={edit} />
          <fieldset className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
            <legend className="sr-only">{t('segments.builder.kind.rfm')}</legend>
            {catalog.rfm_segments.map((s) => (
              <label key={s.id} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={node.segments.includes(s.id)}
                  onChange={(e) =>
                    edit(node.id, (n) => {
                      const cur = (n as typeof node).segments.filter((x) => x !== s.id)
                      return { ...n, segments: e.target.checked ? [...cur, s.id] : cur } as Node
                    })
                  }
                />
                {s.name[locale]}
              </label>
            ))}
          </fieldset>
        </>
      )}

      <Button
        variant="ghost"
        size="sm"
        aria-label={t('segments.builder.removeCondition')}
        onClick={() => edit(node.id, () => null)}
      >
        ✕
      </Button>
    </div>
  )
}

/** The operator of a condition, among those its field allows. */
function OperatorSelect({
  node,
  operators,
  edit,
}: {
  node: Exclude<Node, Group>
  operators: readonly string[]
  edit: Edit
}) {
  const { t } = useI18n()
  return (
    <select
      className={CONTROL}
      aria-label={t('segments.builder.operator')}
      value={node.op}
      onChange={(e) => edit(node.id, (n) => ({ ...n, op: e.target.value }) as Node)}
    >
      {operators.map((op) => (
        <option key={op} value={op}>
          {t(`segments.op.${op}` as MessageKey)}
        </option>
      ))}
    </select>
  )
}

function ValueInputs({
  node,
  field,
  edit,
}: {
  node: Extract<Node, { type: 'field' }>
  field: CatalogField
  edit: Edit
}) {
  const { t } = useI18n()
  if (node.op === 'is_null' || node.op === 'is_not_null') return null
  const set = (key: 'value' | 'value2') => (v: string) => edit(node.id, (n) => ({ ...n, [key]: v }))
  const input = (key: 'value' | 'value2', label: string) => {
    if (field.type === 'boolean') {
      return (
        <select
          className={CONTROL}
          aria-label={label}
          value={node[key]}
          onChange={(e) => set(key)(e.target.value)}
        >
          <option value="">{t('segments.builder.value.choose')}</option>
          <option value="true">{t('common.yes')}</option>
          <option value="false">{t('common.no')}</option>
        </select>
      )
    }
    if (field.values && (node.op === 'eq' || node.op === 'neq')) {
      return (
        <select
          className={CONTROL}
          aria-label={label}
          value={node[key]}
          onChange={(e) => set(key)(e.target.value)}
        >
          <option value="">{t('segments.builder.value.choose')}</option>
          {field.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      )
    }
    const list = node.op === 'in' || node.op === 'not_in'
    return (
      <input
        className={`${CONTROL} w-40`}
        aria-label={label}
        type={field.type === 'date' ? 'date' : field.type === 'number' && !list ? 'number' : 'text'}
        step="any"
        placeholder={list ? t('segments.builder.value.list') : undefined}
        value={node[key]}
        onChange={(e) => set(key)(e.target.value)}
      />
    )
  }
  if (node.op === 'between') {
    return (
      <>
        {input('value', t('segments.builder.value.low'))}
        <span className="text-sm text-muted">{t('segments.builder.and')}</span>
        {input('value2', t('segments.builder.value.high'))}
      </>
    )
  }
  return input('value', t('segments.builder.value'))
}
