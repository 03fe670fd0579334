import { Injectable } from '@nestjs/common';
import { AppConfig, Clock, loadCjkFonts } from '@shipei/core';
import QRCode from 'qrcode';
import { OpenedAccountDto } from '../dto/user.dto';
import { renderAccountSlips } from './account-slips';

/** True when a request asks for the printable slips (Accept: application/pdf, and not JSON). */
export function wantsPdf(accept: string | undefined): boolean {
  return /application\/pdf/i.test(accept ?? '') && !/application\/json/i.test(accept ?? '');
}

/** The printable slips (开通通知单) of a batch of opened accounts, with this platform's name and login address. */
@Injectable()
export class AccountSlips {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get loginUrl(): string {
    return `${this.config.publicBaseUrl}/login`;
  }

  /** The login address's QR code as an SVG data URL, for a page that shows a one-time password. */
  async loginQrDataUrl(): Promise<string> {
    const svg = await QRCode.toString(this.loginUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
    return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  }

  async render(opened: OpenedAccountDto[]): Promise<Buffer> {
    return renderAccountSlips(
      opened,
      { platformName: this.config.platformName, loginUrl: this.loginUrl, issuedAt: this.clock.now() },
      await loadCjkFonts(),
    );
  }
}
