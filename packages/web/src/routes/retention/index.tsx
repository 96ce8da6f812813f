import { PlannedScreen } from '../../components/planned-screen.tsx'

export function Component() {
  return <PlannedScreen screen="retention" icon="retention" sketch="grid" />
}
