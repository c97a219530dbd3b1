import { DynamicModule, Module, Provider } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics-registry';

/**
 * Serves `GET /metrics` through @willsoto/nestjs-prometheus with a registry per app.
 * Global, so the metrics controller (which lives in PrometheusModule) and the app's own
 * collectors find the registry and `exported` providers. Default metrics are turned off
 * in PrometheusModule (it would register them on the global registry once per app, which
 * throws for the second app in a process) and collected by MetricsRegistry instead.
 * App-agnostic: the repeater uses it too.
 */
@Module({})
export class MetricsModule {
  static forRoot(exported: Provider[] = []): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      imports: [
        PrometheusModule.register({
          controller: MetricsController,
          path: '/metrics',
          defaultMetrics: { enabled: false },
        }),
      ],
      providers: [MetricsRegistry, ...exported],
      exports: [MetricsRegistry, ...exported],
    };
  }
}
