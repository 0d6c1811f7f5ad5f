// A server-paged list: the API's cursor paging (?limit=&cursor=), with a stack of cursors so that
// the user can go back.
import { reactive, watch, type WatchSource } from 'vue'
import { api, ApiError } from './api'

export function usePaged<T = any>(
  path: () => string,
  query: () => Record<string, string | number | undefined> = () => ({}),
  limit = 20,
  deps: WatchSource[] = [],
) {
  const state = reactive({
    items: [] as T[],
    loading: false,
    error: '' as string,
    page: 1,
    next: null as string | null,
    cursors: [null] as (string | null)[],
  })
  async function load(cursor: string | null) {
    state.loading = true
    state.error = ''
    try {
      const r = await api.get<{ items: T[]; next_cursor: string | null }>(path(), {
        ...query(),
        limit,
        cursor: cursor ?? undefined,
      })
      state.items = r.items as never
      state.next = r.next_cursor
    } catch (e) {
      state.error = e instanceof ApiError ? e.message : String(e)
      state.items = []
    } finally {
      state.loading = false
    }
  }
  const reload = () => load(state.cursors[state.page - 1])
  const reset = () => {
    state.page = 1
    state.cursors = [null]
    return load(null)
  }
  async function nextPage() {
    if (!state.next) return
    state.cursors[state.page] = state.next
    state.page++
    await load(state.next)
  }
  async function prevPage() {
    if (state.page === 1) return
    state.page--
    await load(state.cursors[state.page - 1])
  }
  if (deps.length) watch(deps, reset)
  return { state, reload, reset, nextPage, prevPage }
}

export type Paged = ReturnType<typeof usePaged>
