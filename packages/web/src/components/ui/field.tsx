import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react'

const CONTROL =
  'block w-full rounded-md border border-line-strong bg-surface px-3 h-10 text-sm text-ink placeholder:text-muted shadow-xs focus:border-brand focus:outline-2 focus:outline-offset-0 focus:outline-brand/40 disabled:bg-subtle disabled:text-muted aria-invalid:border-danger'

type FieldProps = { label: ReactNode; help?: ReactNode; error?: ReactNode; optional?: string }

/** A labelled control with help and error text wired to it through aria-describedby. */
function FieldShell({
  id,
  label,
  help,
  error,
  optional,
  children,
}: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
        {optional && <span className="ml-1 font-normal text-muted">({optional})</span>}
      </label>
      {children}
      {help && !error && (
        <p id={`${id}-help`} className="text-xs text-muted">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </div>
  )
}

function describedBy(id: string, help: unknown, error: unknown) {
  if (error) return `${id}-error`
  if (help) return `${id}-help`
  return undefined
}

export function TextField({
  label,
  help,
  error,
  optional,
  className,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId()
  return (
    <FieldShell id={id} label={label} help={help} error={error} optional={optional}>
      <input
        id={id}
        className={`${CONTROL} ${className ?? ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        {...input}
      />
    </FieldShell>
  )
}

export function SelectField({
  label,
  help,
  error,
  optional,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId()
  return (
    <FieldShell id={id} label={label} help={help} error={error} optional={optional}>
      <select
        id={id}
        className={`${CONTROL} pr-8`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        {...select}
      >
        {children}
      </select>
    </FieldShell>
  )
}
