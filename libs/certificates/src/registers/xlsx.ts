import { TableColumn } from '@shipei/core';

export { contentDisposition, safeCellText, XLSX_MIME } from '@shipei/core';

/** 'text' cells are stored as text ('@'), so 身份证号, numbers and dates stay exactly as written. */
export type SheetColumn = TableColumn & { kind: 'text' | 'number' };
