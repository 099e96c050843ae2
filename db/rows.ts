/**
 * Reading a read model's rows by its fields' names: each field is stored in
 * the column of the same name in snake_case (contractId in contract_id), a
 * timestamp is read as ISO 8601 text, SQL NULL as null. One list of fields
 * gives both the SELECT list and the mapping, so neither can miss a column.
 */

/** Every field of T, each as `true`: leaving one out (or naming one T lacks) does not compile. */
export type Fields<T> = { readonly [K in keyof Required<T>]: true };

export type RowReader<T> = {
  /** the columns, for a SELECT list ("id, contract_id, …") */
  columns: string;
  read: (row: Record<string, unknown>) => T;
};

/** The column a field is stored in: contractId → contract_id, sha256 → sha256. */
const columnOf = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function rowReader<T>(fields: Fields<T>): RowReader<T> {
  const names = Object.keys(fields);
  const columns = names.map(columnOf);
  return {
    columns: columns.join(', '),
    read: (row) => {
      const out: Record<string, unknown> = {};
      names.forEach((name, i) => {
        const value = row[columns[i]!];
        out[name] = value instanceof Date ? value.toISOString() : (value ?? null);
      });
      return out as T;
    },
  };
}
