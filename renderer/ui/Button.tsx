import type { ComponentPropsWithRef } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'danger-quiet' | 'quiet' | 'link';

type Props = ComponentPropsWithRef<'button'> & { variant?: ButtonVariant };

/** A button that never submits a form by accident: type defaults to "button". */
export function Button({ variant = 'secondary', type = 'button', className, ...rest }: Props) {
  const classes = ['button', `button-${variant}`, className].filter(Boolean).join(' ');
  return <button type={type} className={classes} {...rest} />;
}
