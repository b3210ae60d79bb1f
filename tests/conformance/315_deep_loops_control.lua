-- control flow out of loops nested deeper than CPython's 20 blocks: return, break,
-- varargs and upvalue capture inside the nest
local function find(...)
  local target = select(1, ...)
  for i0 = 1, 1 do
   for i1 = 1, 1 do
    for i2 = 1, 1 do
     for i3 = 1, 1 do
      for i4 = 1, 1 do
       for i5 = 1, 1 do
        for i6 = 1, 1 do
         for i7 = 1, 1 do
          for i8 = 1, 1 do
           for i9 = 1, 1 do
            for i10 = 1, 1 do
             for i11 = 1, 1 do
              for i12 = 1, 1 do
               for i13 = 1, 1 do
                for i14 = 1, 1 do
                 for i15 = 1, 1 do
                  for i16 = 1, 1 do
                   for i17 = 1, 1 do
                    for i18 = 1, 1 do
                     for i19 = 1, 1 do
                      for i20 = 1, 1 do
                       for i21 = 1, 1 do
                        if i21 == 1 then return "found " .. target .. " with " .. select("#", ...) .. " args" end
                       end
                      end
                     end
                    end
                   end
                  end
                 end
                end
               end
              end
             end
            end
           end
          end
         end
        end
       end
      end
     end
    end
   end
  end
  return "not found"
end
print(find("x", "y", "z"))
local fs = {}
local count = 0
for i0 = 1, 1 do
 for i1 = 1, 1 do
  for i2 = 1, 1 do
   for i3 = 1, 1 do
    for i4 = 1, 1 do
     for i5 = 1, 1 do
      for i6 = 1, 1 do
       for i7 = 1, 1 do
        for i8 = 1, 1 do
         for i9 = 1, 1 do
          for i10 = 1, 1 do
           for i11 = 1, 1 do
            for i12 = 1, 1 do
             for i13 = 1, 1 do
              for i14 = 1, 1 do
               for i15 = 1, 1 do
                for i16 = 1, 1 do
                 for i17 = 1, 1 do
                  for i18 = 1, 1 do
                   for i19 = 1, 1 do
                    for i20 = 1, 1 do
                     for i21 = 1, 1 do
                      for j = 1, 5 do
                        count = count + 1
                        fs[#fs + 1] = function() return i0 + i21 + j + count end
                        if j == 3 then break end
                      end
                     end
                    end
                   end
                  end
                 end
                end
               end
              end
             end
            end
           end
          end
         end
        end
       end
      end
     end
    end
   end
  end
 end
end
print(count, #fs, fs[1](), fs[#fs]())
local function vararg_inside(...)
  for i0 = 1, 1 do
   for i1 = 1, 1 do
    for i2 = 1, 1 do
     for i3 = 1, 1 do
      for i4 = 1, 1 do
       for i5 = 1, 1 do
        for i6 = 1, 1 do
         for i7 = 1, 1 do
          for i8 = 1, 1 do
           for i9 = 1, 1 do
            for i10 = 1, 1 do
             for i11 = 1, 1 do
              for i12 = 1, 1 do
               for i13 = 1, 1 do
                for i14 = 1, 1 do
                 for i15 = 1, 1 do
                  for i16 = 1, 1 do
                   for i17 = 1, 1 do
                    for i18 = 1, 1 do
                     for i19 = 1, 1 do
                      for i20 = 1, 1 do
                       for i21 = 1, 1 do
                        local a, b = ...
                        print("varargs inside", a, b, select("#", ...))
                       end
                      end
                     end
                    end
                   end
                  end
                 end
                end
               end
              end
             end
            end
           end
          end
         end
        end
       end
      end
     end
    end
   end
  end
end
vararg_inside(1, nil, 3)
local w = 0
while w < 5 do
 while w < 5 do
  while w < 5 do
   while w < 5 do
    while w < 5 do
     while w < 5 do
      while w < 5 do
       while w < 5 do
        while w < 5 do
         while w < 5 do
          while w < 5 do
           while w < 5 do
            while w < 5 do
             while w < 5 do
              while w < 5 do
               while w < 5 do
                while w < 5 do
                 while w < 5 do
                  while w < 5 do
                   while w < 5 do
                    while w < 5 do
                     while w < 5 do
                      w = w + 1
                      if w >= 3 then break end
                     end
                    end
                   end
                  end
                 end
                end
               end
              end
             end
            end
           end
          end
         end
        end
       end
      end
     end
    end
   end
  end
 end
end
print("while nest", w)
