import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

/** Runs a change to the report and refreshes everything shown about it; keeps the error for an alert next to the control. */
export function useReportAction(reportId: string) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (change: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await change();
      await queryClient.invalidateQueries({ queryKey: ['report-data', reportId] });
      await queryClient.invalidateQueries({ queryKey: ['inbox'] });
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, error, busy };
}

export const reportKey = (reportId: string, part: string) => ['report-data', reportId, part];
