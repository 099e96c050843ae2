declare module 'virtual:api-routes' {
  const routes: { method: string; path: string; roles: readonly string[] | 'public'; summary: string }[];
  export default routes;
}
