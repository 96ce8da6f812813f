import { PlannedScreen } from '../../components/planned-screen.tsx'

export function Component() {
  return <PlannedScreen screen="predictions" icon="predictions" sketch="lines" />
}
