import { PlannedScreen } from '../../components/planned-screen.tsx'

export function Component() {
  return <PlannedScreen screen="revenue" icon="revenue" sketch="bars" />
}
