/** Liveness: the process answers. No database call, so a slow database never restarts us. */
export function loader() {
  return Response.json(
    { status: 'ok', uptimeSeconds: Math.round(process.uptime()) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
