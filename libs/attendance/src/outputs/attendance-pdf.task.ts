import { loadCjkFonts, workerTask } from '@shipei/core';
import { buildAttendanceMatrix, MatrixView } from './attendance-matrix';
import { PassSheetLayout, PassSheetView, renderPassSheet } from './pass-sheet';
import { renderSignInSheet, SignInSheetView } from './sign-in-sheet';

/**
 * The attendance files made in a worker thread (spec §16): a session's sign-in sheet, a cohort's
 * printed passes and its attendance matrix. The main thread reads the roster and signs the passes;
 * the worker only draws.
 */
export const SIGN_IN_SHEET_TASK = workerTask(__filename, 'attendance-pdf.task', 'signInSheetPdf');
export const PASS_SHEET_TASK = workerTask(__filename, 'attendance-pdf.task', 'passSheetPdf');
export const MATRIX_TASK = workerTask(__filename, 'attendance-pdf.task', 'matrixXlsx');

export async function signInSheetPdf(view: SignInSheetView): Promise<Uint8Array> {
  return renderSignInSheet(view, await loadCjkFonts());
}

export async function passSheetPdf(job: { view: PassSheetView; layout: PassSheetLayout }): Promise<Uint8Array> {
  return renderPassSheet(job.view, job.layout, await loadCjkFonts());
}

export function matrixXlsx(view: MatrixView): Promise<Uint8Array> {
  return buildAttendanceMatrix(view);
}
