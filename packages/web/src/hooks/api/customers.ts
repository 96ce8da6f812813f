import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { Customer, ListQuery } from '../../lib/api/types.ts'
import { detailOptions, listOptions, pagedOptions } from './entities.ts'

const PATH = '/api/customers'

export function useCustomerPages(query: Omit<ListQuery, 'cursor'> = {}) {
  return useInfiniteQuery(pagedOptions<Customer>(PATH, queryKeys.customers, query))
}

export function customersOptions(query: ListQuery = {}) {
  return listOptions<Customer>(PATH, queryKeys.customers, query)
}

export function useCustomers(query: ListQuery = {}) {
  return useQuery(customersOptions(query))
}

export function useCustomer(externalId: string) {
  return useQuery({
    ...detailOptions<Customer>(PATH, queryKeys.customers, externalId),
    retry: false,
  })
}
