import { SkeletonRows } from '../components/ui/skeleton.tsx'

/** Shown while the first screen's code arrives (lazy routes on the initial load). */
export function RouteFallback() {
  return (
    <div className="mx-auto max-w-md px-4 pt-24">
      <SkeletonRows rows={3} />
    </div>
  )
}
