import { useEffect, useId, useRef, useState } from 'react'
import { useCurrentUser, useSignOut } from '../../hooks/api/session.ts'
import { useI18n } from '../../i18n/index.tsx'
import { Icon } from '../ui/icons.tsx'

/** The signed-in user's name and role, and sign-out. Closes on Escape and on a click outside. */
export function UserMenu() {
  const { t } = useI18n()
  const user = useCurrentUser()
  const signOut = useSignOut()
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const menuId = useId()

  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false)
        button.current?.focus()
      }
    }
    document.addEventListener('mousedown', onDown)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('mousedown', onDown)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  const display = user.name || user.email
  const initials = display
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('')

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        className="flex h-9 items-center gap-2 rounded-md pr-2 pl-1 hover:bg-subtle"
      >
        <span
          aria-hidden="true"
          className="grid size-7 place-items-center rounded-full bg-brand-soft text-xs font-semibold text-brand-text"
        >
          {initials}
        </span>
        <span className="hidden max-w-40 truncate text-sm font-medium md:inline">{display}</span>
        {/* The visible name stays the start of the button's name, for voice control. */}
        <span className="sr-only">{t('topbar.userMenu')}</span>
        <Icon name="chevronDown" className="size-4 text-muted" />
      </button>
      {open && (
        <div
          id={menuId}
          className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-line bg-surface p-1 shadow-lg"
        >
          <div className="px-3 py-2">
            <p className="text-xs text-muted">{t('topbar.signedInAs')}</p>
            <p className="truncate text-sm font-medium">{user.email}</p>
            <p className="text-xs text-muted">{t(`role.${user.role}`)}</p>
          </div>
          <hr className="my-1 border-line" />
          <button
            type="button"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
            className="flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm hover:bg-subtle"
          >
            <Icon name="logout" className="size-4" />
            {t('topbar.signOut')}
          </button>
        </div>
      )}
    </div>
  )
}
