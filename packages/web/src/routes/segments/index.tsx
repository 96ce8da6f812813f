import { PlannedScreen } from '../../components/planned-screen.tsx'

export function Component() {
  return <PlannedScreen screen="segments" icon="segments" sketch="donut" />
}
