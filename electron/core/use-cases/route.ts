import type { UseCaseInput, UseCaseName, UseCaseOutput } from './create-use-cases';
import type { CallContext } from './use-case';
import type { UseCaseRunner } from './runner';

// One entry of an adapter's table: the use case that serves it, the request
// mapped to the use case's input and its output projected to the adapter's
// response, each only where the two differ (the type demands a mapping then).
// The window and the socket may want different shapes of one result: that is
// a projection here, never a second lookup.

type RouteTo<Request, Response, N extends UseCaseName> = { useCase: N } & ([Request] extends [
  UseCaseInput<N>,
]
  ? { request?: (request: Request) => UseCaseInput<N> }
  : { request: (request: Request) => UseCaseInput<N> }) &
  ([UseCaseOutput<N>] extends [Response]
    ? { response?: (output: UseCaseOutput<N>) => Response }
    : { response: (output: UseCaseOutput<N>) => Response });

/** An adapter entry taking `Request` and answering `Response`, served by one use case. */
export type Route<Request, Response> = {
  [N in UseCaseName]: RouteTo<Request, Response, N>;
}[UseCaseName];

interface AnyRoute {
  useCase: UseCaseName;
  request?: (request: never) => unknown;
  response?: (output: never) => unknown;
}

/** Runs one adapter entry: maps the request, runs the use case, projects its output. */
export async function runRoute(
  runner: Pick<UseCaseRunner, 'run'>,
  route: AnyRoute,
  request: unknown,
  context: CallContext,
): Promise<unknown> {
  const { useCase } = route;
  const mapRequest = route.request as ((request: unknown) => unknown) | undefined;
  const project = route.response as ((output: unknown) => unknown) | undefined;
  const input = (mapRequest ? mapRequest(request) : request) as UseCaseInput<typeof useCase>;
  const output = await runner.run(useCase, input, context);
  return project ? project(output) : output;
}
