import type { Metrics } from '../metrics.js';
import type { RouteModule } from './server.js';

/** `GET /metrics`: the Prometheus text exposition of {@link Metrics}. */
export function metricsRoutes(metrics: Metrics): RouteModule {
  return (app) => {
    app.get('/metrics', async (_request, reply) => {
      const body = await metrics.render();
      return reply.code(200).header('content-type', metrics.contentType).send(body);
    });
  };
}
