import { Route, Routes } from 'react-router';
import { useAllows } from './auth';
import type { FeatureRoute } from './features';
import { Layout } from './Layout';
import { routes } from './routes';
import { ForbiddenPage, NotFoundPage } from './StatusPages';

function RoutePage({ route }: { route: FeatureRoute }) {
  const allows = useAllows();
  if (!allows(route.access)) return <ForbiddenPage />;
  const Page = route.page;
  return <Page />;
}

/** The signed-in app (its own chunk): the layout around every feature route the shell knows. */
export function Shell() {
  return (
    <Routes>
      <Route element={<Layout />}>
        {routes.map((r) => (
          <Route key={r.path} path={r.path} element={<RoutePage route={r} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
