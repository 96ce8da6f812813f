import { AppShell } from '../components/layout/app-shell.tsx'
import { ErrorNotice } from '../components/ui/error-notice.tsx'
import { SkeletonRows } from '../components/ui/skeleton.tsx'
import { useSession } from '../hooks/api/session.ts'
import { AuthScreen } from '../routes/auth/auth-screen.tsx'

/** The root of every route: the dashboard for a signed-in user, the sign-in screen otherwise. */
export function AuthGate() {
  const session = useSession()
  if (session.isPending) {
    return (
      <div className="mx-auto max-w-md px-4 pt-24">
        <SkeletonRows rows={3} />
      </div>
    )
  }
  if (session.isError) {
    return (
      <div className="mx-auto max-w-lg px-4 pt-24">
        <ErrorNotice error={session.error} onRetry={() => void session.refetch()} />
      </div>
    )
  }
  if (!session.data) return <AuthScreen />
  return <AppShell />
}
