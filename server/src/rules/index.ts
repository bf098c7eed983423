import { barrierAboveLimit, invalidValue, questionableValue, unknownListItem, valueTruncated } from './values';
import { duplicateParameter, misplacedParameter, unknownParameter } from './parameters';
import { shellExpansion, shellUnsafeValue } from './shell';
import { deprecatedParameter, ignoredParameter, removedParameter } from './status';
import { byteOrderMark, crlfLineEndings, inlineComment, keyTooLong, loneCarriageReturn, missingEquals, multilineValue, singleQuotes, spaceAroundEquals, unmatchedQuote, utf16Encoding } from './syntax';
import type { Rule } from './types';
import { RESOURCES_RULES } from './resources/index';
import { LIMITS_RULES } from './limits/index';
import { NODE_RULES } from './node/index';
import { SUPPRESSION_RULES } from './suppressions';

/** The per-file rules of the foundation: syntax, shell, parameters, values, version status (schemas/rules/core.yaml). */
export const CORE_RULES: readonly Rule[] = [
  missingEquals,
  unmatchedQuote,
  keyTooLong,
  spaceAroundEquals,
  inlineComment,
  singleQuotes,
  multilineValue,
  byteOrderMark,
  utf16Encoding,
  loneCarriageReturn,
  crlfLineEndings,
  shellUnsafeValue,
  shellExpansion,
  unknownParameter,
  duplicateParameter,
  misplacedParameter,
  invalidValue,
  unknownListItem,
  valueTruncated,
  questionableValue,
  barrierAboveLimit,
  deprecatedParameter,
  ignoredParameter,
  removedParameter,
];

/** Every per-file rule, in the order their findings are produced (the output is sorted by position anyway). */
export const RULES: readonly Rule[] = [...CORE_RULES, ...RESOURCES_RULES, ...LIMITS_RULES, ...NODE_RULES, ...SUPPRESSION_RULES];
