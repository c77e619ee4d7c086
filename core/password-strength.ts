import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { PASSWORD_MIN_LENGTH } from '../api/rules.js';
import { DomainError } from './errors.js';
import { DEMO_PASSWORD } from './install.js';

/**
 * Refuses guessable new passwords with zxcvbn-ts and its French dictionary (common passwords,
 * French words and names, keyboard walks such as "azerty", years): length alone lets
 * "motdepasse" or "soleil2024" through. The dictionaries weigh a few megabytes, so they are
 * loaded at the first password change, not when the server starts.
 */

/** zxcvbn's 0–4 scale; 3 is "safely unguessable" against an online attack with throttling. */
const MIN_SCORE = 3;

let estimator: Promise<ZxcvbnFactory> | undefined;

function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, fr] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-fr'),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...fr.dictionary },
      graphs: common.adjacencyGraphs,
      translations: fr.translations,
    });
  })();
  return estimator;
}

const weak = (message: string) => new DomainError('VALIDATION', message, { field: 'newPassword' });

/**
 * Throws a French VALIDATION error (field `newPassword`) unless the password is long enough,
 * free of the user's own identifiers and hard to guess.
 */
export async function checkPasswordStrength(password: string, personal: { username: string; names?: string[] }): Promise<void> {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw weak(`Le nouveau mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`);
  }
  if (password.length > 200) throw weak('Le nouveau mot de passe ne doit pas dépasser 200 caractères.');
  // The demo accounts' public password (core/install.ts) is never anybody's own.
  if (password.trim().toLowerCase() === DEMO_PASSWORD) throw weak('Ce mot de passe est celui, public, de la démonstration : choisissez le vôtre.');
  if (password.toLowerCase().includes(personal.username.toLowerCase())) {
    throw weak('Le nouveau mot de passe ne doit pas contenir votre identifiant.');
  }
  const userInputs = [personal.username, ...personal.username.split(/[._-]/), ...(personal.names ?? []), 'eticket', 'cantine', 'garderie'];
  const result = (await loadEstimator()).check(password, userInputs.filter((s) => s.length >= 3));
  if (result.score < MIN_SCORE) {
    const hint = result.feedback.warning ? ` ${result.feedback.warning}` : '';
    throw weak(
      `Ce mot de passe est trop facile à deviner.${hint} Choisissez plutôt plusieurs mots sans rapport entre eux, par exemple « girafe-crayon-tempête ».`,
    );
  }
}
