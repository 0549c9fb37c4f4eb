export default { title: 'adminStaff' } as const;
