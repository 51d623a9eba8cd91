import { cva, type VariantProps } from 'class-variance-authority';
import { Slot } from 'radix-ui';
import { cn } from './cn';

/** Every size is at least 44 px tall (and wide, for icons): the touch target of the design. */
export const buttonVariants = cva(
  'inline-flex shrink-0 items-center justify-center gap-2 rounded-full font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-primary disabled:cursor-not-allowed disabled:opacity-50',
  {
    variants: {
      variant: {
        /** the one main action of a form or sheet */
        primary: 'bg-primary text-white hover:bg-primary/90',
        /** text button: cancel, secondary actions */
        secondary: 'text-primary hover:bg-primary-soft',
        /** a confirmed destructive action */
        danger: 'bg-danger text-white hover:bg-danger/90',
        /** a destructive action that still asks first (Delete…, Revoke, Remove) */
        dangerText: 'text-danger hover:bg-exception-soft',
        /** quiet navigation: arrows, back */
        ghost: 'text-ink hover:bg-grayed',
      },
      size: {
        md: 'h-11 min-w-11 px-5',
        sm: 'h-11 min-w-11 px-3 text-sm',
        icon: 'size-11 text-xl',
      },
    },
    defaultVariants: { variant: 'secondary', size: 'md' },
  },
);

export type ButtonProps = React.ComponentProps<'button'> &
  VariantProps<typeof buttonVariants> & {
    /** render the child (a Link) with the button's look instead of a <button> */
    asChild?: boolean;
  };

export function Button({ className, variant, size, asChild = false, type, ...props }: ButtonProps) {
  const Comp = asChild ? Slot.Root : 'button';
  return <Comp type={asChild ? undefined : (type ?? 'button')} className={cn(buttonVariants({ variant, size }), className)} {...props} />;
}
