import { Layout } from './layout';
import type { PageContext } from './context';

export function ErrorPage({
  ctx,
  status,
  message,
}: {
  ctx: PageContext;
  status: number;
  message: string;
}) {
  const title =
    status === 404
      ? 'Not found'
      : status === 403
        ? 'Not allowed'
        : status >= 500
          ? 'Something went wrong'
          : 'Cannot do that';
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href="/">Back to the lab</a>
      </p>
    </Layout>
  );
}
