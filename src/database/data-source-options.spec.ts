import { dataSourceOptions } from './data-source-options';

const serverOptions = (databaseUrl: string): unknown => {
  const options = dataSourceOptions({ databaseKind: 'postgres', databaseUrl, sqlitePath: '' });
  return (options as { extra?: { options?: string } }).extra?.options;
};

describe(dataSourceOptions.name, () => {
  it('opens PostgreSQL sessions at READ COMMITTED', () => {
    expect(serverOptions('postgres://lab@db.example/dml')).toBe(
      '-c default_transaction_isolation=read\\ committed',
    );
  });

  it("keeps the server options the URL gives beside the session's isolation level", () => {
    expect(
      serverOptions(
        'postgres://lab@db.example/dml?options=-c%20search_path%3Ddml%20-c%20work_mem%3D8MB',
      ),
    ).toBe('-c search_path=dml -c work_mem=8MB -c default_transaction_isolation=read\\ committed');
  });
});
