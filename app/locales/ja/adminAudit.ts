export default { title: 'adminAudit' } as const;
