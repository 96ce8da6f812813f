import { createBrowserRouter } from 'react-router'
import { AuthGate } from './auth-gate.tsx'
import {
  prefetchOverview,
  prefetchRetention,
  prefetchRevenue,
  prefetchSession,
} from './prefetch.ts'
import { queryClient } from './query-client.ts'
import { RouteError } from './route-error.tsx'
import { RouteFallback } from './route-fallback.tsx'

/**
 * One route folder per screen, each loaded on first visit (`lazy`), so the first paint carries
 * only the shell. Route modules export `Component`. The loaders only start the first screens'
 * reads alongside that download (app/prefetch.ts); they never hold a navigation.
 */
export const router = createBrowserRouter([
  {
    path: '/',
    Component: AuthGate,
    loader: () => prefetchSession(queryClient),
    ErrorBoundary: RouteError,
    HydrateFallback: RouteFallback,
    children: [
      {
        ErrorBoundary: RouteError,
        children: [
          {
            index: true,
            loader: () => prefetchOverview(queryClient),
            lazy: () => import('../routes/overview/index.tsx'),
          },
          {
            path: 'retention',
            loader: () => prefetchRetention(queryClient),
            lazy: () => import('../routes/retention/index.tsx'),
          },
          {
            path: 'revenue',
            loader: () => prefetchRevenue(queryClient),
            lazy: () => import('../routes/revenue/index.tsx'),
          },
          { path: 'segments', lazy: () => import('../routes/segments/index.tsx') },
          { path: 'predictions', lazy: () => import('../routes/predictions/index.tsx') },
          { path: 'customers', lazy: () => import('../routes/customers/list.tsx') },
          { path: 'customers/:externalId', lazy: () => import('../routes/customers/detail.tsx') },
          { path: 'data', lazy: () => import('../routes/data/index.tsx') },
          {
            path: 'settings',
            lazy: () => import('../routes/settings/layout.tsx'),
            children: [
              { index: true, lazy: () => import('../routes/settings/workspace.tsx') },
              { path: 'users', lazy: () => import('../routes/settings/users.tsx') },
              { path: 'api-keys', lazy: () => import('../routes/settings/api-keys.tsx') },
            ],
          },
          { path: '*', lazy: () => import('../routes/not-found.tsx') },
        ],
      },
    ],
  },
])
