import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { useHiddenSuggestions } from './clientErrors.js';

/**
 * `--no-introspection`: a validation rule refuses `__schema`/`__type`, and no error message suggests names
 * ("Did you mean ...?"). Not Yoga's useDisableIntrospection: it marks requests in onRequestParse, a hook of HTTP
 * only, so graphql-ws operations (validated through getEnveloped) could still introspect.
 */
export function useNoIntrospection(): Plugin[] {
  return [{ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) }, useHiddenSuggestions()];
}
