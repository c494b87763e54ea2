import { useId, type ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
}

/** A titled part of the Agents view: a region named by its h2, so it can be reached by landmark. */
export function Section({ title, children }: Props) {
  const id = useId();
  return (
    <section className="agents-section stack stack-tight" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {children}
    </section>
  );
}
