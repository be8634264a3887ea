/**
 * Human output: objects as aligned columns, one row each, like `ip -br`.
 *
 * @module
 * @internal
 */

/** One column: its heading and how an object fills it (empty when it has nothing there). */
export interface Column<T> {
  title: string
  cell(item: T): string | number | undefined
}

/** A column of one field of the object. */
export function field<T, K extends keyof T>(title: string, key: K): Column<T> {
  return { title, cell: (x) => format(x[key]) }
}

function format(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (Array.isArray(v)) return v.join(',')
  return String(v)
}

/** The rows of a table, each cell padded to its column's width (the last one unpadded). */
export function formatTable<T>(items: T[], columns: Column<T>[]): string[] {
  const rows = [columns.map((c) => c.title.toUpperCase()), ...items.map((x) => columns.map((c) => format(c.cell(x))))]
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  )
}

/** One object on one line, `title value` pairs of its non-empty cells (for `monitor`). */
export function formatLine<T>(item: T, columns: Column<T>[]): string {
  return columns
    .map((c) => [c.title, format(c.cell(item))])
    .filter(([, v]) => v !== '')
    .map(([t, v]) => `${t} ${v}`)
    .join(' ')
}
