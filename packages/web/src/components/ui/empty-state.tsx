import type { ReactNode } from 'react'
import { Icon, type IconName } from './icons.tsx'

export function EmptyState({
  icon,
  title,
  children,
  actions,
}: {
  icon: IconName
  title: ReactNode
  children?: ReactNode
  actions?: ReactNode
}) {
  return (
    <div className="flex flex-col items-center px-6 py-10 text-center">
      <div className="mb-4 grid size-12 place-items-center rounded-full bg-brand-soft text-brand-text">
        <Icon name={icon} className="size-6" />
      </div>
      <h2 className="text-base font-semibold">{title}</h2>
      {children && <div className="mt-1 max-w-md text-sm text-muted">{children}</div>}
      {actions && <div className="mt-5 flex flex-wrap justify-center gap-2">{actions}</div>}
    </div>
  )
}
