import type { EntityManager } from 'typeorm';

/**
 * One hand-written statement with `:name` and `:...list` parameters, written for the engine in
 * use, its rows returned as the driver gives them. For the hot reads, where building a query
 * and hydrating entities would cost more than the statement itself.
 */
export function queryNamed<Row>(
  manager: EntityManager,
  sql: string,
  parameters: Record<string, unknown>,
): Promise<Row[]> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters);
  return manager.query<Row[]>(text, values);
}
