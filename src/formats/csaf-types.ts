/** The parts of a CSAF 2.0 document Embargo writes and reads. */

export type CsafNoteCategory = 'description' | 'details' | 'faq' | 'general' | 'legal_disclaimer' | 'other' | 'summary';

export interface CsafNote {
  category: CsafNoteCategory;
  text: string;
  title?: string;
}

export interface CsafReference {
  category?: 'external' | 'self';
  summary: string;
  url: string;
}

export interface CsafAcknowledgment {
  names?: string[];
  organization?: string;
  summary?: string;
  urls?: string[];
}

export interface CsafProduct {
  name: string;
  product_id: string;
  product_identification_helper?: { purl?: string; cpe?: string };
}

export interface CsafBranch {
  category: string;
  name: string;
  branches?: CsafBranch[];
  product?: CsafProduct;
}

export interface CsafRemediation {
  category: 'mitigation' | 'no_fix_planned' | 'none_available' | 'vendor_fix' | 'workaround';
  details: string;
  product_ids?: string[];
  url?: string;
}

export interface CsafScore {
  cvss_v3?: { version: string; vectorString: string; baseScore: number; baseSeverity: string };
  products: string[];
}

export interface CsafVulnerability {
  title?: string;
  cve?: string;
  cwe?: { id: string; name: string };
  ids?: Array<{ system_name: string; text: string }>;
  notes?: CsafNote[];
  product_status?: Partial<Record<'first_affected' | 'first_fixed' | 'fixed' | 'known_affected' | 'known_not_affected' | 'last_affected' | 'recommended' | 'under_investigation', string[]>>;
  remediations?: CsafRemediation[];
  scores?: CsafScore[];
  threats?: Array<{ category: 'exploit_status' | 'impact' | 'target_set'; details: string; product_ids?: string[] }>;
  references?: CsafReference[];
  acknowledgments?: CsafAcknowledgment[];
  release_date?: string;
}

export interface CsafRevision {
  number: string;
  date: string;
  summary: string;
}

export interface CsafDocument {
  document: {
    category: string;
    csaf_version: '2.0';
    lang?: string;
    title: string;
    publisher: { category: string; name: string; namespace: string };
    tracking: {
      id: string;
      status: 'draft' | 'final' | 'interim';
      version: string;
      revision_history: CsafRevision[];
      initial_release_date: string;
      current_release_date: string;
      generator?: { date?: string; engine: { name: string; version?: string } };
    };
    distribution?: { tlp?: { label: 'AMBER' | 'GREEN' | 'RED' | 'WHITE'; url?: string }; text?: string };
    aggregate_severity?: { text: string };
    notes?: CsafNote[];
    references?: CsafReference[];
    acknowledgments?: CsafAcknowledgment[];
  };
  product_tree?: {
    branches?: CsafBranch[];
    full_product_names?: CsafProduct[];
    relationships?: Array<{ full_product_name: CsafProduct }>;
  };
  vulnerabilities?: CsafVulnerability[];
}

/** Titles of the notes Embargo writes for data CSAF 2.0 has no field for; the importer reads them back. */
export const csafNoteTitles = {
  cvss40: 'CVSS v4.0',
  moreWeaknesses: 'Additional weaknesses',
  moreCves: 'Other CVE IDs',
  withdrawn: 'Reasoning for Withdrawal',
} as const;
