/** A small radio group drawn as joined buttons: one choice among a few, keyboard-operable. */
export function Segmented<V extends string>({
  label,
  value,
  onChange,
  options,
}: {
  label: string
  value: V
  onChange: (v: V) => void
  options: { value: V; label: string }[]
}) {
  return (
    <fieldset className="inline-flex rounded-md border border-line-strong bg-surface p-0.5">
      <legend className="sr-only">{label}</legend>
      {options.map((o) => (
        <label
          key={o.value}
          className={`cursor-pointer rounded px-3 py-1 text-sm font-medium has-focus-visible:outline-2 has-focus-visible:outline-brand ${
            o.value === value ? 'bg-brand text-brand-ink' : 'text-ink hover:bg-subtle'
          }`}
        >
          <input
            type="radio"
            className="sr-only"
            name={label}
            value={o.value}
            checked={o.value === value}
            onChange={() => onChange(o.value)}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  )
}
