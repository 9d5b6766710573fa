import type { ReactNode } from 'react';

type DataAttributes = Record<`data-${string}`, string>;

/** One column of a {@link DataTable}: its header and how a row fills its cell. */
export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** The cell's `data-field`, by which tests and styles find it. */
  field?: string;
  /** Further data-* attributes of the cell. */
  attrs?: (row: T) => DataAttributes;
}

/**
 * A table described by its columns: a header row, then one row per item, whose first cell heads
 * the row (`<th scope="row">`). The caption is for screen readers; the section title shows.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  rowAttrs,
  className = 'data-table',
}: {
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowAttrs?: (row: T) => DataAttributes;
  className?: string;
}) {
  return (
    <table className={className}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowAttrs?.(row)}>
            {columns.map(({ cell, field, attrs }, i) =>
              i === 0 ? (
                <th key={i} scope="row" data-field={field} {...attrs?.(row)}>
                  {cell(row)}
                </th>
              ) : (
                <td key={i} data-field={field} {...attrs?.(row)}>
                  {cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
