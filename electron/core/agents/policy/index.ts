// Tool policy, rate limits and approvals: what decides whether an agent's call runs.
export * from './approvals';
export * from './policy-gate';
export * from './rate-limiter';
export * from './refusal-recorder';
export * from './tool-policy';
