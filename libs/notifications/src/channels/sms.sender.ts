import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { SmsConfig } from '@shipei/core';
import * as tencentcloud from 'tencentcloud-sdk-nodejs-sms';
import { Outgoing, Sender } from './channel';

const hostAndProtocol = (endpoint: string | undefined, fallback: string) => {
  const m = /^(https?):\/\/(.+)$/.exec(endpoint ?? '');
  return m ? { protocol: m[1], host: m[2] } : { protocol: 'https', host: endpoint || fallback };
};

/** SMS through the official SDK of Aliyun (dysmsapi, ACS3-HMAC-SHA256) or Tencent Cloud (TC3-HMAC-SHA256). */
export function smsSender(config: SmsConfig): Sender {
  return config.provider === 'aliyun' ? aliyun(config) : tencent(config);
}

function aliyun(config: SmsConfig): Sender {
  const { protocol, host } = hostAndProtocol(config.endpoint, 'dysmsapi.aliyuncs.com');
  // The SDK's Config class is re-exported from its core package; a plain object carries the same fields.
  const client = new (Dysmsapi as any)({
    accessKeyId: config.keyId,
    accessKeySecret: config.keySecret,
    endpoint: host,
    protocol,
    regionId: config.region,
    readTimeout: 10_000,
    connectTimeout: 5_000,
  });
  return {
    async send(o: Outgoing) {
      const res = await client.sendSms(
        new SendSmsRequest({
          phoneNumbers: o.recipient,
          signName: config.signName,
          templateCode: config.templates[o.type],
          templateParam: JSON.stringify(o.params),
          outId: String(o.deliveryId),
        }),
      );
      if (res.body?.code !== 'OK') throw new Error(`阿里云短信：${res.body?.code} ${res.body?.message ?? ''}`.trim());
    },
  };
}

function tencent(config: SmsConfig): Sender {
  const { protocol, host } = hostAndProtocol(config.endpoint, 'sms.tencentcloudapi.com');
  const client = new tencentcloud.sms.v20210111.Client({
    credential: { secretId: config.keyId, secretKey: config.keySecret },
    region: config.region,
    profile: {
      signMethod: 'TC3-HMAC-SHA256',
      httpProfile: { endpoint: host, protocol: `${protocol}://`, reqTimeout: 10 },
    },
  });
  return {
    async send(o: Outgoing) {
      const res = await client.SendSms({
        PhoneNumberSet: [`+86${o.recipient}`],
        SmsSdkAppId: config.appId!,
        SignName: config.signName,
        TemplateId: config.templates[o.type],
        TemplateParamSet: Object.values(o.params),
        SessionContext: String(o.deliveryId),
      });
      const status = res.SendStatusSet?.[0];
      if (status?.Code !== 'Ok')
        throw new Error(`腾讯云短信：${status?.Code ?? '无回执'} ${status?.Message ?? ''}`.trim());
    },
  };
}
