import { describe, expect, it } from "vitest";

import {
  buddhistYear,
  coordinateDigits,
  formatBuddhistDate,
  formatBytes,
  formatExtent,
  formatIsoDate,
  formatNumber,
  formatShortBuddhistDate,
  parseBuddhistDate,
} from "./format";

describe("Buddhist era dates (พ.ศ.)", () => {
  it("adds 543 to the Gregorian year", () => {
    expect(buddhistYear(2025)).toBe(2568);
    expect(buddhistYear(1957)).toBe(2500);
  });

  it("writes a date with Thai month names and the พ.ศ. year", () => {
    const d = new Date("2025-10-01T02:00:00.000Z");
    expect(formatBuddhistDate(d, "th", { timeZone: "Asia/Bangkok" })).toBe("1 ตุลาคม 2568");
    expect(formatBuddhistDate(d, "th", { timeZone: "Asia/Bangkok", month: "short" })).toBe("1 ต.ค. 2568");
    expect(formatBuddhistDate(d, "th", { timeZone: "Asia/Bangkok", time: true })).toBe(
      "1 ตุลาคม 2568 เวลา 09:00 น.",
    );
  });

  it("keeps the Buddhist era in English", () => {
    const d = new Date("2025-10-01T02:00:00.000Z");
    expect(formatBuddhistDate(d, "en", { timeZone: "Asia/Bangkok" })).toBe("1 October 2568 BE");
    expect(formatBuddhistDate(d, "en", { timeZone: "UTC", month: "short", time: true })).toBe(
      "1 Oct 2568 BE, 02:00",
    );
  });

  it("applies the time zone before the year (New Year's Eve in UTC is New Year's Day in Bangkok)", () => {
    const d = new Date("2024-12-31T20:00:00Z");
    expect(formatBuddhistDate(d, "th", { timeZone: "UTC" })).toBe("31 ธันวาคม 2567");
    expect(formatBuddhistDate(d, "th", { timeZone: "Asia/Bangkok" })).toBe("1 มกราคม 2568");
  });

  it("shows midnight as 00, not 24", () => {
    const d = new Date("2025-01-01T17:00:00Z");
    expect(formatBuddhistDate(d, "th", { timeZone: "Asia/Bangkok", time: true })).toBe(
      "2 มกราคม 2568 เวลา 00:00 น.",
    );
  });

  it("gives a dash for an invalid date", () => {
    expect(formatBuddhistDate(new Date("not a date"), "th")).toBe("–");
  });

  it("reads ISO dates from a GeoPackage", () => {
    expect(formatIsoDate("2024-02-29", "th")).toBe("29 กุมภาพันธ์ 2567");
    expect(formatIsoDate("2024-02-29", "en", { month: "short" })).toBe("29 Feb 2567 BE");
    expect(formatIsoDate("2025-10-01T02:00:00.000Z", "th", { timeZone: "Asia/Bangkok" })).toBe("1 ตุลาคม 2568");
    expect(formatIsoDate("2023-02-29", "th")).toBe("2023-02-29");
    expect(formatIsoDate("เมื่อวาน", "th")).toBe("เมื่อวาน");
  });
});

describe("numbers", () => {
  it("groups thousands with Thai conventions and Arabic digits", () => {
    expect(formatNumber(1234567, "th")).toBe("1,234,567");
    expect(formatNumber(2999, "th")).toBe("2,999");
    expect(formatNumber(0, "th")).toBe("0");
    expect(formatNumber(-1234.5, "th", 1)).toBe("-1,234.5");
    expect(formatNumber(183578.5432, "th", 2)).toBe("183,578.54");
    expect(formatNumber(1.005e6, "en", 2)).toBe("1,005,000.00");
  });

  it("never writes Thai digits (๑๒๓)", () => {
    expect(formatNumber(1234567890, "th")).toMatch(/^[0-9,]+$/);
  });

  it("gives a dash for what is not a number", () => {
    expect(formatNumber(Number.NaN, "th")).toBe("–");
    expect(formatNumber(Number.POSITIVE_INFINITY, "en")).toBe("–");
  });

  it("writes sizes in binary units", () => {
    expect(formatBytes(512, "th")).toBe("512 B");
    expect(formatBytes(9916416, "th")).toBe("9.46 MB");
    expect(formatBytes(923889664, "en")).toBe("881.09 MB");
    expect(formatBytes(-1, "en")).toBe("–");
  });

  it("writes projected extents to the centimetre and geographic ones to 6 decimals", () => {
    const utm = [183578.544, 1870932.75, 204342.871, 1884953.02] as const;
    expect(coordinateDigits(utm)).toBe(2);
    expect(formatExtent(utm, "th")).toEqual({
      x: "183,578.54 – 204,342.87",
      y: "1,870,932.75 – 1,884,953.02",
    });
    const wgs84 = [102.1, 16.9, 102.3, 17.05] as const;
    expect(coordinateDigits(wgs84)).toBe(6);
    expect(formatExtent(wgs84, "en").x).toBe("102.100000 – 102.300000");
  });
});

describe("dates as staff type them", () => {
  it("read day/month/Buddhist year as an ISO date", () => {
    expect(parseBuddhistDate("1/10/2568")).toBe("2025-10-01");
    expect(parseBuddhistDate(" 29.2.2567 ")).toBe("2024-02-29");
    expect(parseBuddhistDate("01-10-2568")).toBe("2025-10-01");
    expect(parseBuddhistDate("1/10/2025")).toBe("2025-10-01");
    expect(parseBuddhistDate("2025-10-01")).toBe("2025-10-01");
  });

  it("refuse what is no date", () => {
    expect(parseBuddhistDate("29/2/2568")).toBeNull();
    expect(parseBuddhistDate("2025-02-30")).toBeNull();
    expect(parseBuddhistDate("เมื่อวาน")).toBeNull();
    expect(parseBuddhistDate("")).toBeNull();
  });

  it("write an ISO date back as day/month/Buddhist year", () => {
    expect(formatShortBuddhistDate("2025-10-01")).toBe("1/10/2568");
    expect(formatShortBuddhistDate("not a date")).toBe("not a date");
  });
});
