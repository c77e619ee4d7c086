import { useState } from 'react';
import type { ClosureImpactView, ClosureInput, ClosureSavedView } from '../../../api/staff.js';
import { api } from '../api.js';
import { Notice, useToast } from '../ui.js';

/**
 * The closure form's confirmation step: before saving a closure that cancels bookings, the admin
 * sees what it will do ("37 réservations seront annulées et remboursées…"), then confirms. The
 * preview is tied to the values it was asked for: change a field and it is asked again.
 */
export function useClosureImpact(values: ClosureInput) {
  const toast = useToast();
  const [impact, setImpact] = useState<{ key: string; view: ClosureImpactView } | null>(null);
  const key = JSON.stringify(values);
  const shown = impact?.key === key ? impact.view : null;

  /** Saves at once when no booking is concerned or once the impact was shown; else shows it and waits (null). */
  const guard = async (save: () => Promise<ClosureSavedView>): Promise<ClosureSavedView | null> => {
    if (!shown) {
      const view = await api.call('staff.previewClosure', { body: values });
      if (view.bookings > 0 || view.pointedKept > 0) {
        setImpact({ key, view });
        return null;
      }
    }
    return save();
  };
  const saved = (result: unknown) => {
    const r = result as ClosureSavedView;
    toast('ok', r.impact.bookings > 0 ? `Fermeture enregistrée. ${r.impact.summary}` : 'Calendrier enregistré.');
  };
  return { shown, guard, saved, submitLabel: shown ? 'Confirmer : annuler et rembourser' : 'Enregistrer' };
}

export function ClosureImpactNotice({ impact }: { impact: ClosureImpactView | null }) {
  if (!impact) {
    return (
      <p className="muted small">
        Les réservations de ces jours, à partir d’aujourd’hui, seront annulées et remboursées, et les familles prévenues par e-mail ; vous verrez le détail avant de confirmer. Supprimer une fermeture ne rétablit pas
        les réservations.
      </p>
    );
  }
  return (
    <div data-testid="closure-impact">
      <Notice kind="warn">
        <strong>Avant d’enregistrer :</strong> {impact.summary}
      </Notice>
    </div>
  );
}
