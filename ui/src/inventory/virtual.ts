// The arithmetic of a virtualised table: which rows are in view, which
// pages of the core's list hold them, and a small cache of fetched pages.
// Pure: tested in virtual.test.ts; vtable.ts draws with it.

export interface Window {
  /** The first and last row (inclusive) to put in the DOM; last < first when there is none. */
  first: number;
  last: number;
  /** Empty space above and below the rows drawn, in pixels. */
  padTop: number;
  padBottom: number;
}

/** The rows to draw for a scroll position: those in view plus `overscan` on each side. */
export function windowFor(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): Window {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: -1, padTop: 0, padBottom: 0 };
  const top = Math.max(0, scrollTop);
  const firstVisible = Math.min(total - 1, Math.floor(top / rowHeight));
  const lastVisible = Math.min(total - 1, Math.floor((top + Math.max(0, viewport)) / rowHeight));
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(total - 1, lastVisible + overscan);
  return { first, last, padTop: first * rowHeight, padBottom: (total - 1 - last) * rowHeight };
}

/** The page numbers (of `pageSize` rows) that hold rows `first`..`last`. */
export function pagesFor(first: number, last: number, pageSize: number): number[] {
  if (last < first || pageSize <= 0) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) out.push(p);
  return out;
}

/** The scroll position that brings row `index` into view (unchanged if it is already). */
export function scrollToRow(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}

/**
 * Fetched pages, most recently used kept: a table of 10,000 rows holds only
 * the pages near the view. `clear()` when the query (sort, filter, search) changes.
 */
export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();

  constructor(private readonly capacity = 12) {}

  get(page: number): T[] | undefined {
    const rows = this.pages.get(page);
    if (rows) {
      this.pages.delete(page);
      this.pages.set(page, rows);
    }
    return rows;
  }

  set(page: number, rows: T[]): void {
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.capacity) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
  }

  /** Row `index`, if its page is here. */
  row(index: number, pageSize: number): T | undefined {
    return this.get(Math.floor(index / pageSize))?.[index % pageSize];
  }

  get size(): number {
    return this.pages.size;
  }

  clear(): void {
    this.pages.clear();
  }
}

/** The next sort after a click on a column: ascending, then descending, then ascending again. */
export function nextSort(
  current: { field: string; descending: boolean } | null,
  field: string,
): { field: string; descending: boolean } {
  if (current?.field === field) return { field, descending: !current.descending };
  return { field, descending: false };
}
