import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, type DefaultValues, type FieldValues, type Path } from 'react-hook-form';
import type { z } from 'zod';
import i18next from 'i18next';
import type { AppError } from '../../preload/contract/index';

/**
 * A react-hook-form form validated by a contract schema, the same one the main process applies.
 * Server-side refusals land next to their fields; what was typed stays in the form.
 */
export function useContractForm<S extends z.ZodType<FieldValues, FieldValues>>(schema: S, defaultValues: DefaultValues<z.input<S>>) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never) as never,
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const showServerError = (error: AppError) => {
    // Errors of the whole input (no field) are filed under '_': they belong with the form's own message.
    // A refusal to try again yet says for how long, next to the field; one that counts says its numbers.
    const fields = Object.entries(error.fields ?? {})
      .filter(([field]) => field !== '_')
      .map(([field, message]): [string, string] =>
        error.retryAfterSeconds !== undefined
          ? [field, i18next.t(message, { seconds: error.retryAfterSeconds })]
          : error.counts
            ? [field, i18next.t(message, error.counts)]
            : [field, message],
      );
    if (error.fields?._) form.setError('root.server' as Path<z.input<S>>, { type: 'server', message: error.fields._ });
    for (const [field, message] of fields) {
      form.setError(field as Path<z.input<S>>, { type: 'server', message }, { shouldFocus: true });
    }
    if (fields.length === 0 && !error.fields?._) {
      form.setError('root.server' as Path<z.input<S>>, { type: 'server', message: error.message });
    }
  };
  return { form, showServerError };
}
